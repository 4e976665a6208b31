using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using TotService.Configuration;

namespace TotService.Hardening;

/// <summary>
/// A token bucket per token subject (<c>sub</c>), built on first use from <see cref="TotServiceOptions.RateLimit"/>
/// (options are validated when the host starts, not when the pipeline is built). Idle buckets are dropped by
/// <see cref="PartitionedRateLimiter"/>'s own idle check, so the number of subjects seen does not grow memory.
/// </summary>
public sealed class PerClientRateLimiter(IOptions<TotServiceOptions> options) : IDisposable
{
    private readonly Lazy<PartitionedRateLimiter<string>> _limiter = new(() => Create(options.Value.RateLimit));

    public TimeSpan ReplenishmentPeriod => options.Value.RateLimit.ReplenishmentPeriod;

    /// <summary>One permit for <paramref name="subject"/>, without waiting; dispose the lease when the request ends.</summary>
    public RateLimitLease Acquire(string subject) => _limiter.Value.AttemptAcquire(subject);

    public void Dispose()
    {
        if (_limiter.IsValueCreated)
        {
            _limiter.Value.Dispose();
        }
    }

    private static PartitionedRateLimiter<string> Create(TotServiceOptions.RateLimitSettings settings)
    {
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = settings.TokenLimit,
            TokensPerPeriod = settings.TokensPerPeriod,
            ReplenishmentPeriod = settings.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        Func<string, TokenBucketRateLimiterOptions> factory = _ => bucket;
        return PartitionedRateLimiter.Create<string, string>(
            subject => RateLimitPartition.GetTokenBucketLimiter(subject, factory), StringComparer.Ordinal);
    }
}
