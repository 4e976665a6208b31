using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TotService.Configuration;
using TotService.Hardening;

namespace TotService.Tests.Hardening;

public sealed class PerClientRateLimiterTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    private PerClientRateLimiter Limiter(int tokenLimit, int tokensPerPeriod, TimeSpan period) =>
        new(Options.Create(new TotServiceOptions
        {
            RateLimit = new TotServiceOptions.RateLimitSettings
            {
                TokenLimit = tokenLimit,
                TokensPerPeriod = tokensPerPeriod,
                ReplenishmentPeriod = period,
            },
        }), _time);

    [Fact]
    public void A_full_bucket_admits_a_burst_of_TokenLimit_and_then_says_how_long_to_wait()
    {
        var limiter = Limiter(tokenLimit: 8, tokensPerPeriod: 1, TimeSpan.FromSeconds(30));

        for (var i = 0; i < 8; i++)
        {
            Assert.True(limiter.TryAcquire("greedy").Allowed, $"request {i + 1}");
        }
        var refused = limiter.TryAcquire("greedy");

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter);
    }

    [Fact]
    public void Tokens_come_back_at_the_configured_rate()
    {
        var limiter = Limiter(tokenLimit: 2, tokensPerPeriod: 60, TimeSpan.FromSeconds(10)); // one per 1/6 s
        Assert.True(limiter.TryAcquire("c").Allowed);
        Assert.True(limiter.TryAcquire("c").Allowed);
        Assert.False(limiter.TryAcquire("c").Allowed);

        _time.Advance(TimeSpan.FromSeconds(1.0 / 6) - TimeSpan.FromMilliseconds(1));
        var early = limiter.TryAcquire("c");
        Assert.False(early.Allowed);
        Assert.InRange(early.RetryAfter, TimeSpan.FromTicks(1), TimeSpan.FromMilliseconds(1));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(limiter.TryAcquire("c").Allowed);
        Assert.False(limiter.TryAcquire("c").Allowed);

        // Idle for long: the bucket is full again, but never fuller than TokenLimit.
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(limiter.TryAcquire("c").Allowed);
        Assert.True(limiter.TryAcquire("c").Allowed);
        Assert.False(limiter.TryAcquire("c").Allowed);
    }

    [Fact]
    public void Subjects_have_their_own_buckets()
    {
        var limiter = Limiter(tokenLimit: 1, tokensPerPeriod: 1, TimeSpan.FromMinutes(1));

        Assert.True(limiter.TryAcquire("a").Allowed);
        Assert.False(limiter.TryAcquire("a").Allowed);
        Assert.True(limiter.TryAcquire("b").Allowed);
        Assert.True(limiter.TryAcquire("A").Allowed); // subjects compare ordinally
    }

    [Fact]
    public void Concurrent_requests_from_one_subject_never_get_more_than_the_burst()
    {
        var limiter = Limiter(tokenLimit: 100, tokensPerPeriod: 1, TimeSpan.FromHours(1));
        var allowed = 0;

        Parallel.For(0, 10_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            if (limiter.TryAcquire("racer").Allowed)
            {
                Interlocked.Increment(ref allowed);
            }
        });

        Assert.Equal(100, allowed);
    }

    [Fact]
    public void Subjects_whose_bucket_is_full_again_are_swept_out_when_many_are_tracked()
    {
        var limiter = Limiter(tokenLimit: 5, tokensPerPeriod: 1, TimeSpan.FromSeconds(1));
        for (var i = 0; i <= PerClientRateLimiter.SweepThreshold; i++)
        {
            limiter.TryAcquire($"client-{i}");
        }
        Assert.Equal(PerClientRateLimiter.SweepThreshold + 1, limiter.TrackedSubjects);

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(limiter.TryAcquire("client-new").Allowed);

        Assert.InRange(limiter.TrackedSubjects, 1, 2);
    }
}
