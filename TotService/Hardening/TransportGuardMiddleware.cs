using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TotService.Configuration;
using TotService.Diagnostics;
using TotService.Mcp;

namespace TotService.Hardening;

/// <summary>
/// Outermost guard of the MCP surface (<c>/mcp</c> and the protected resource metadata): Host and Origin checks
/// against DNS rebinding (MCP transport spec), the body size cap, and the per-request MCP metrics.
/// Health probes and <c>/metrics</c> are not guarded: Kubernetes calls them by pod IP.
/// </summary>
public sealed class TransportGuardMiddleware(
    RequestDelegate next,
    IOptions<TotServiceOptions> options,
    TotServiceMetrics metrics,
    TimeProvider timeProvider)
{
    public const string McpPath = "/mcp";

    // Options are validated when the host starts, after the pipeline is built: read them on first use.
    private readonly Lazy<AllowedRequestSources> _sources = new(() => new AllowedRequestSources(options.Value));

    public async Task InvokeAsync(HttpContext context)
    {
        var isMcp = context.Request.Path.StartsWithSegments(McpPath);
        if (!isMcp && !context.Request.Path.StartsWithSegments(ResourceUrls.WellKnownPrefix))
        {
            await next(context);
            return;
        }

        var started = timeProvider.GetTimestamp();
        var request = new McpRequestFeature();
        context.Features.Set(request);
        try
        {
            if (await RefuseAsync(context, isMcp))
            {
                return;
            }
            await next(context);
        }
        finally
        {
            if (isMcp)
            {
                var method = request.Method ?? McpMethodNames.ForHttpVerb(context.Request.Method);
                metrics.McpRequestCompleted(method, Outcome(context.Response.StatusCode), timeProvider.GetElapsedTime(started));
            }
        }
    }

    private async Task<bool> RefuseAsync(HttpContext context, bool isMcp)
    {
        var settings = options.Value;
        var sources = _sources.Value;
        if (!sources.IsAllowedHost(context.Request.Host.Value))
        {
            await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status400BadRequest, JsonRpcErrors.Refused, "Host not allowed.");
            return true;
        }

        var origin = context.Request.Headers[HeaderNames.Origin];
        if (origin.Count > 0 && !sources.IsAllowedOrigin(origin.ToString()))
        {
            await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status403Forbidden, JsonRpcErrors.Refused, "Origin not allowed.");
            return true;
        }

        if (isMcp)
        {
            if (context.Request.ContentLength > settings.MaxRequestBodyBytes)
            {
                await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status413PayloadTooLarge, JsonRpcErrors.Refused, "Request body too large.");
                return true;
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            {
                bodySize.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            }
        }
        return false;
    }

    private static string Outcome(int status) => status switch
    {
        >= 200 and < 300 => "ok",
        StatusCodes.Status400BadRequest => "bad_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        >= 500 => "error",
        _ => "other",
    };
}
