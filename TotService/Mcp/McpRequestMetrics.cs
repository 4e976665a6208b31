using TotService.Diagnostics;
using TotService.Protocol;

namespace TotService.Mcp;

/// <summary>
/// Records <c>totmcp.mcp.requests</c> and its duration for every request under <c>/mcp</c>, refused ones included, so it
/// wraps authentication; the JSON-RPC method comes from <see cref="McpRequestGuard"/>, which reads the body.
/// </summary>
public sealed class McpRequestMetrics(RequestDelegate next, TotServiceMetrics metrics, TimeProvider timeProvider)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(McpApi.Path))
        {
            await next(context);
            return;
        }
        var started = timeProvider.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            metrics.McpRequestCompleted(McpRequestMethod.Of(context), Outcome(context.Response.StatusCode), timeProvider.GetElapsedTime(started));
        }
    }

    private static string Outcome(int status) => status switch
    {
        >= 200 and < 300 => "ok",
        StatusCodes.Status400BadRequest => "bad_request",
        StatusCodes.Status401Unauthorized => "unauthorized",
        StatusCodes.Status403Forbidden => "forbidden",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status413PayloadTooLarge => "too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status429TooManyRequests => "rate_limited",
        >= 500 => "error",
        _ => "other",
    };
}
