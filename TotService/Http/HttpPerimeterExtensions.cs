using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging.Console;
using TotService.Diagnostics;

namespace TotService.Http;

public static class HttpPerimeterExtensions
{
    /// <summary>
    /// Kestrel-wide limits, safe error responses, metric labels that name outcomes (<c>/metrics</c> is open), and one
    /// console line per log entry, so a refused request costs one line.
    /// </summary>
    public static IHostApplicationBuilder AddHttpPerimeter(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Room for a 16 KB token plus ordinary headers; anything bigger is refused by Kestrel itself.
            kestrel.Limits.MaxRequestHeadersTotalSize = 48 * 1024;
        });
        builder.Services.Configure<SimpleConsoleFormatterOptions>(console => console.SingleLine = true);
        builder.AddSafeErrorResponses();
        builder.AddOutcomeMetricLabels();
        return builder;
    }

    /// <summary>Host and Origin checks on <c>/mcp</c> and the metadata documents.</summary>
    public static IApplicationBuilder UseRequestSources(this IApplicationBuilder app) =>
        app.UseMiddleware<RequestSourceMiddleware>();
}
