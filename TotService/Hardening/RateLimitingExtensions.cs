using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TotService.Authentication;
using TotService.Configuration;
using TotService.Mcp;

namespace TotService.Hardening;

public static class RateLimitingExtensions
{
    public const string PerClientPolicy = "per-client";

    /// <summary>
    /// A token bucket per token subject (<c>sub</c>) on <c>/mcp</c>; refused requests get 429 with
    /// <c>Retry-After</c>. Unauthenticated requests never reach it: they are refused with 401 first.
    /// </summary>
    public static IHostApplicationBuilder AddPerClientRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(PerClientPolicy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<IOptions<TotServiceOptions>>().Value.RateLimit;
                var subject = context.User.FindFirst(TotClaims.Subject)?.Value ?? "";
                return RateLimitPartition.GetTokenBucketLimiter(subject, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = settings.TokenLimit,
                    TokensPerPeriod = settings.TokensPerPeriod,
                    ReplenishmentPeriod = settings.ReplenishmentPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            limiter.OnRejected = async (rejected, cancel) =>
            {
                var settings = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<TotServiceOptions>>().Value.RateLimit;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : settings.ReplenishmentPeriod;
                rejected.HttpContext.Response.Headers[HeaderNames.RetryAfter] =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await JsonRpcErrors.WriteAsync(rejected.HttpContext.Response, StatusCodes.Status429TooManyRequests,
                    JsonRpcErrors.Refused, "Too many requests; retry after the time in the Retry-After header.");
            };
        });
        return builder;
    }
}
