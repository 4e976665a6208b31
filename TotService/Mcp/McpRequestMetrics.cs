using ModelContextProtocol.Protocol;
using TotService.Diagnostics;

namespace TotService.Mcp;

/// <summary>
/// Records <c>totmcp.mcp.requests</c> and its duration for every request under <c>/mcp</c>, refused ones included, so it
/// wraps authentication; the JSON-RPC method comes from <see cref="McpRequestGuard"/>, which reads the body.
/// </summary>
public sealed class McpRequestMetrics(RequestDelegate next, TotServiceMetrics metrics, TimeProvider timeProvider)
{
    private static readonly object MethodKey = new();

    public static void SetMethod(HttpContext context, JsonRpcMessage message) =>
        SetMethod(context, (message as JsonRpcRequest)?.Method ?? (message as JsonRpcNotification)?.Method);

    /// <summary>The method a request declares (a 2026-07-28 request's <c>Mcp-Method</c> header, or its body's), as a closed-set tag.</summary>
    public static void SetMethod(HttpContext context, string? method) => context.Items[MethodKey] = McpMethodNames.Normalize(method);

    /// <summary>The method tag known so far: from the body or a 2026-07-28 request's header, else from the HTTP verb.</summary>
    public static string MethodOf(HttpContext context) =>
        context.Items.TryGetValue(MethodKey, out var known) && known is string name
            ? name
            : McpHeaders.MethodTag(context.Request) ?? McpMethodNames.ForHttpVerb(context.Request.Method);

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
            metrics.McpRequestCompleted(MethodOf(context), Outcome(context.Response.StatusCode), timeProvider.GetElapsedTime(started));
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
