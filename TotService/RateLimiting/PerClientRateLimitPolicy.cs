using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TotService.Authentication;
using TotService.Configuration;
using TotService.Mcp;

namespace TotService.RateLimiting;

/// <summary>
/// A token bucket per token subject (<c>sub</c>) from <see cref="TotServiceOptions.RateLimit"/>, on <c>/mcp</c> after
/// authentication; a refused request gets 429 with <c>Retry-After</c> and a JSON-RPC error. ASP.NET Core counts every
/// decision in <c>aspnetcore.rate_limiting.requests</c>; refusals also appear as <c>outcome="rate_limited"</c> in
/// <c>totmcp.mcp.requests</c>.
/// </summary>
public sealed class PerClientRateLimitPolicy(IOptions<TotServiceOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "per-client";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = static async (context, cancellationToken) =>
    {
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter.TotalSeconds : 1;
        var response = context.HttpContext.Response;
        response.Headers[HeaderNames.RetryAfter] = Math.Max(1, (int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture);
        await JsonRpcErrors.WriteAsync(response, StatusCodes.Status429TooManyRequests, JsonRpcErrors.Refused,
            "Too many requests; retry after the time in the Retry-After header.");
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var settings = options.Value.RateLimit;
        // Only authenticated requests reach this policy, and every accepted token has a sub.
        var subject = httpContext.User.FindFirst(TotClaims.Subject)?.Value ?? "";
        return RateLimitPartition.GetTokenBucketLimiter(subject, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.TokenLimit,
            TokensPerPeriod = settings.TokensPerPeriod,
            ReplenishmentPeriod = settings.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
