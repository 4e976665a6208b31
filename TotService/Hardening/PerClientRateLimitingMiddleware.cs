using System.Globalization;
using Microsoft.Net.Http.Headers;
using TotService.Authentication;
using TotService.Mcp;

namespace TotService.Hardening;

/// <summary>
/// A token bucket per token subject (<c>sub</c>) on <c>/mcp</c>, after authentication (unauthenticated requests are
/// refused with 401 first). Refused requests get 429 with <c>Retry-After</c> and a JSON-RPC error. The bucket is
/// checked directly (<see cref="PerClientRateLimiter"/>, lock-free) rather than through ASP.NET Core's rate limiting
/// middleware and partitioned limiters, whose locks and per-request bookkeeping cost more than the check itself on the
/// hottest endpoint (docs/BENCHMARKS.md); refusals are counted by the MCP request metrics with outcome
/// <c>rate_limited</c>.
/// </summary>
public sealed class PerClientRateLimitingMiddleware(RequestDelegate next, PerClientRateLimiter limiter)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments(TransportGuardMiddleware.McpPath)
            || context.User.FindFirst(TotClaims.Subject)?.Value is not { } subject)
        {
            await next(context);
            return;
        }
        var decision = limiter.TryAcquire(subject);
        if (!decision.Allowed)
        {
            await RefuseAsync(context, decision.RetryAfter);
            return;
        }
        await next(context);
    }

    private static async Task RefuseAsync(HttpContext context, TimeSpan retryAfter)
    {
        context.Response.Headers[HeaderNames.RetryAfter] =
            Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await JsonRpcErrors.WriteAsync(context.Response, StatusCodes.Status429TooManyRequests,
            JsonRpcErrors.Refused, "Too many requests; retry after the time in the Retry-After header.");
    }
}
