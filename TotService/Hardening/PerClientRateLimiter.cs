using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using TotService.Configuration;

namespace TotService.Hardening;

/// <summary>Whether a request may proceed and, when not, how long until it could.</summary>
public readonly record struct RateLimitDecision(bool Allowed, TimeSpan RetryAfter);

/// <summary>
/// A token bucket per token subject (<c>sub</c>) from <see cref="TotServiceOptions.RateLimit"/>, kept as the
/// generic cell rate algorithm: one "theoretical arrival time" per subject, updated with a compare-and-swap. It admits
/// exactly what a bucket of <c>TokenLimit</c> tokens refilled at <c>TokensPerPeriod</c> per <c>ReplenishmentPeriod</c>
/// admits (refilled continuously rather than in steps) and gives the exact wait for <c>Retry-After</c>. No lock and no
/// timer: the per-partition locks of System.Threading.RateLimiting made every MCP request from one client queue on
/// the same monitor, the largest single cost of an authenticated call (docs/BENCHMARKS.md).
/// Subjects whose bucket is full again hold no state; they are swept out when many subjects are tracked.
/// </summary>
public sealed class PerClientRateLimiter(IOptions<TotServiceOptions> options, TimeProvider timeProvider)
{
    /// <summary>Tracked subjects above which idle ones (full buckets) are swept out.</summary>
    public const int SweepThreshold = 4096;

    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    // Options are validated when the host starts, after the pipeline (and this) are built: read them on first use.
    private readonly Lazy<Rates> _rates = new(() => Rates.From(options.Value.RateLimit, timeProvider.TimestampFrequency));

    private int _sweeping;

    public int TrackedSubjects => _buckets.Count;

    public RateLimitDecision TryAcquire(string subject)
    {
        var rates = _rates.Value;
        var now = timeProvider.GetTimestamp();
        var bucket = _buckets.GetOrAdd(subject, static _ => new Bucket());
        while (true)
        {
            var arrival = Volatile.Read(ref bucket.TheoreticalArrival);
            var start = Math.Max(arrival, now);
            var ahead = start - now;
            if (ahead > rates.Tolerance)
            {
                return new RateLimitDecision(false, TimeSpan.FromSeconds((double)(ahead - rates.Tolerance) / timeProvider.TimestampFrequency));
            }
            if (Interlocked.CompareExchange(ref bucket.TheoreticalArrival, start + rates.Interval, arrival) == arrival)
            {
                break;
            }
        }
        if (_buckets.Count > SweepThreshold)
        {
            Sweep(now);
        }
        return new RateLimitDecision(true, TimeSpan.Zero);
    }

    /// <summary>Drops subjects whose bucket is full again (their state equals having none); one sweeper at a time.</summary>
    private void Sweep(long now)
    {
        if (Interlocked.Exchange(ref _sweeping, 1) == 1)
        {
            return;
        }
        try
        {
            foreach (var (subject, bucket) in _buckets)
            {
                if (Volatile.Read(ref bucket.TheoreticalArrival) <= now)
                {
                    _buckets.TryRemove(new KeyValuePair<string, Bucket>(subject, bucket));
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0);
        }
    }

    private sealed class Bucket
    {
        /// <summary>When the bucket will be full again, in <see cref="TimeProvider"/> timestamp units.</summary>
        public long TheoreticalArrival;
    }

    /// <param name="Interval">Time one token takes to refill.</param>
    /// <param name="Tolerance">How far ahead of now the arrival time may run: a burst of TokenLimit requests.</param>
    private sealed record Rates(long Interval, long Tolerance)
    {
        public static Rates From(TotServiceOptions.RateLimitSettings settings, long frequency)
        {
            var interval = Math.Max(1, (long)(settings.ReplenishmentPeriod.TotalSeconds / settings.TokensPerPeriod * frequency));
            return new Rates(interval, interval * (settings.TokenLimit - 1));
        }
    }
}
