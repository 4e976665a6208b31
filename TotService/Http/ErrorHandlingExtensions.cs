namespace TotService.Http;

public static class ErrorHandlingExtensions
{
    /// <summary>
    /// ProblemDetails for HTTP errors outside MCP, with no exception detail in any environment
    /// (MCP errors are JSON-RPC errors written by the SDK or the guards).
    /// </summary>
    public static IHostApplicationBuilder AddSafeErrorResponses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(problem => problem.CustomizeProblemDetails = context =>
        {
            // The default adds a trace id (useful) and, for exceptions in Development, the exception (never wanted).
            context.ProblemDetails.Detail = null;
            context.ProblemDetails.Extensions.Remove("exception");
        });
        return builder;
    }

    public static IApplicationBuilder UseSafeErrorResponses(this IApplicationBuilder app) =>
        app.UseExceptionHandler().UseStatusCodePages();
}
