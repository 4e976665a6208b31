using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TotService.Configuration;
using TotService.Mcp;
using TotService.Protocol;

namespace TotService.Http;

/// <summary>
/// DNS rebinding protection (MCP transport spec) on <c>/mcp</c> and the metadata documents: a Host outside
/// <see cref="AllowedRequestSources"/> gets 400, a browser Origin outside it 403. ASP.NET Core's host filtering would
/// apply to every path, and Kubernetes probes reach health endpoints by pod IP.
/// </summary>
public sealed class RequestSourceMiddleware(RequestDelegate next, IOptions<TotServiceOptions> options, IHostEnvironment environment)
{
    // Options are validated when the host starts, after the pipeline is built: read them on first use.
    private readonly Lazy<AllowedRequestSources> _sources = new(() => new AllowedRequestSources(options.Value, environment.IsDevelopment()));

    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments(McpApi.Path) && !path.StartsWithSegments(ResourceUrls.WellKnownPrefix))
        {
            return next(context);
        }
        var sources = _sources.Value;
        if (!sources.IsAllowedHost(context.Request.Host.Value))
        {
            return JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status400BadRequest, JsonRpcErrors.Refused, "Host not allowed.");
        }
        var origin = context.Request.Headers[HeaderNames.Origin];
        if (origin.Count > 0 && (origin.Count > 1 || !sources.IsAllowedOrigin(origin.ToString())))
        {
            return JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status403Forbidden, JsonRpcErrors.Refused, "Origin not allowed.");
        }
        return next(context);
    }
}
