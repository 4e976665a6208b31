using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TotService.Configuration;
using TotService.Diagnostics;
using TotService.Identity;
using TotService.Protocol;

namespace TotService.RateLimiting;

/// <summary>
/// A token bucket per token subject (<c>sub</c>) from <see cref="TotServiceOptions.RateLimit"/>, on <c>/mcp</c> after
/// authentication; a refused request gets 429 with <c>Retry-After</c> and a JSON-RPC error. ASP.NET Core counts every
/// decision in <c>aspnetcore.rate_limiting.requests</c>; refusals also appear as <c>outcome="rate_limited"</c> in
/// <c>totmcp.mcp.requests</c>.
/// </summary>
public sealed class PerClientRateLimitPolicy : IRateLimiterPolicy<string>
{
    public const string Name = "per-client";

    private readonly IOptions<TotServiceOptions> _options;

    public PerClientRateLimitPolicy(IOptions<TotServiceOptions> options, AuditLog audit)
    {
        _options = options;
        OnRejected = async (context, cancellationToken) =>
        {
            var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter.TotalSeconds : 1;
            var retryAfterSeconds = Math.Max(1, (int)Math.Ceiling(seconds));
            var http = context.HttpContext;
            // The body is not read for a refused request (refusing must stay cheap): a 2026-07-28 request's method comes
            // from its Mcp-Method header, an older POST's is not known.
            audit.RateLimited(http, PartitionOf(http), retryAfterSeconds, McpRequestMethod.Of(http));
            http.Response.Headers[HeaderNames.RetryAfter] = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            await JsonRpcErrors.WriteAsync(http.Response, StatusCodes.Status429TooManyRequests, JsonRpcErrors.Refused,
                "Too many requests; retry after the time in the Retry-After header.");
        };
    }

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; }

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var settings = _options.Value.RateLimit;
        return RateLimitPartition.GetTokenBucketLimiter(PartitionOf(httpContext), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.TokenLimit,
            TokensPerPeriod = settings.TokensPerPeriod,
            ReplenishmentPeriod = settings.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The token's subject: only authenticated requests reach this policy, and every accepted token has a sub.</summary>
    private static string PartitionOf(HttpContext context) => context.User.FindFirst(TotClaims.Subject)?.Value ?? "";
}
