using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace KeyService.Apis;

public static class ErrorHandlingExtensions
{
    /// <summary>RFC 7807 problem details for unexpected errors, and no <c>Server</c> header.</summary>
    public static IHostApplicationBuilder AddErrorHandling(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.AddServerHeader = false);
        return builder;
    }

    /// <summary>
    /// Catches every exception of the routes after it in every environment, Development included: the developer
    /// exception page that WebApplication puts in front never sees one, so no stack, source or request header leaves.
    /// The problem details carry the status, title and trace id only; the exception goes to the log.
    /// </summary>
    public static WebApplication UseErrorHandling(this WebApplication app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = exception => exception is Microsoft.AspNetCore.Http.BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        return app;
    }
}
