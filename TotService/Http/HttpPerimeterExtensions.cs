using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace TotService.Http;

public static class HttpPerimeterExtensions
{
    /// <summary>Kestrel-wide limits and safe error responses.</summary>
    public static IHostApplicationBuilder AddHttpPerimeter(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Room for a 16 KB token plus ordinary headers; anything bigger is refused by Kestrel itself.
            kestrel.Limits.MaxRequestHeadersTotalSize = 48 * 1024;
        });
        builder.AddSafeErrorResponses();
        return builder;
    }

    /// <summary>Host and Origin checks on <c>/mcp</c> and the metadata documents.</summary>
    public static IApplicationBuilder UseRequestSources(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestSourceMiddleware>();
}
