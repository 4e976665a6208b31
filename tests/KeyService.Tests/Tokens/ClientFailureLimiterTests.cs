using KeyService.Options;
using KeyService.Tests.Infrastructure;
using KeyService.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace KeyService.Tests.Tokens;

[Collection(RunsAlone.Name)]
public sealed class ClientFailureLimiterTests
{
    private const string Attacker = "192.0.2.1";
    private const string Clean = "192.0.2.2";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Reaching_the_limit_blocks_that_client_from_that_address_only()
    {
        var limiter = Limiter(limit: 3);

        Fail(limiter, "dev", Attacker, times: 3);

        Assert.True(limiter.IsBlocked("dev", Attacker, out var retryAfter));
        Assert.Equal(TimeSpan.FromMinutes(1), retryAfter);
        Assert.Null(limiter.TryReserve("dev", Attacker, out _));
        Assert.False(limiter.IsBlocked("dev", Clean, out _));
        Assert.False(limiter.IsBlocked("admin", Attacker, out _));
        Assert.NotNull(limiter.TryReserve("dev", Clean, out _));
    }

    [Fact]
    public void Reservations_count_before_the_verdict_so_concurrent_attempts_cannot_overshoot()
    {
        var limiter = Limiter(limit: 3);

        var reserved = Enumerable.Range(0, 10).Select(i => limiter.TryReserve("dev", Attacker, out _)).ToList();

        Assert.Equal(3, reserved.Count(r => r is not null));
        Assert.False(limiter.IsBlocked("dev", Attacker, out _));
        Assert.Null(limiter.TryReserve("dev", Attacker, out var retryAfter));
        Assert.Equal(ClientFailureLimiter.BusyRetryAfter, retryAfter);

        limiter.Complete(reserved[0]!, failed: false);
        Assert.NotNull(limiter.TryReserve("dev", Attacker, out _));
    }

    [Fact]
    public void Blocks_that_follow_each_other_double_up_to_the_maximum_and_end()
    {
        var limiter = Limiter(limit: 2, maxBackoff: TimeSpan.FromMinutes(5));
        var blocks = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            Fail(limiter, "dev", Attacker, times: 2);
            Assert.True(limiter.IsBlocked("dev", Attacker, out var block));
            blocks.Add(block);
            _time.Advance(block);
            Assert.False(limiter.IsBlocked("dev", Attacker, out _));
        }

        Assert.Equal([1, 2, 4, 5, 5], blocks.Select(b => b.TotalMinutes));
    }

    [Fact]
    public void A_quiet_period_of_the_maximum_backoff_forgets_earlier_blocks()
    {
        var limiter = Limiter(limit: 2, maxBackoff: TimeSpan.FromMinutes(5));
        Fail(limiter, "dev", Attacker, times: 2);
        _time.Advance(TimeSpan.FromMinutes(1));
        Fail(limiter, "dev", Attacker, times: 2);
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromMinutes(5));

        Fail(limiter, "dev", Attacker, times: 2);

        Assert.True(limiter.IsBlocked("dev", Attacker, out var block));
        Assert.Equal(TimeSpan.FromMinutes(1), block);
    }

    [Fact]
    public void Failures_outside_the_window_do_not_add_up()
    {
        var limiter = Limiter(limit: 3);

        Fail(limiter, "dev", Attacker, times: 2);
        _time.Advance(TimeSpan.FromMinutes(1));
        Fail(limiter, "dev", Attacker, times: 2);

        Assert.False(limiter.IsBlocked("dev", Attacker, out _));
    }

    [Fact]
    public void An_address_spraying_many_client_ids_is_blocked_for_all_of_them()
    {
        var limiter = Limiter(limit: 3, sourceLimit: 5);

        for (var i = 0; i < 5; i++)
        {
            Fail(limiter, $"id-{i}", Attacker, times: 1);
        }

        Assert.True(limiter.IsBlocked("dev", Attacker, out _));
        Assert.Null(limiter.TryReserve("never-tried", Attacker, out _));
        Assert.False(limiter.IsBlocked("dev", Clean, out _));
    }

    [Fact]
    public void A_success_clears_the_clients_failures_and_clean_addresses_leave_nothing_behind()
    {
        var limiter = Limiter(limit: 3);
        Fail(limiter, "dev", Attacker, times: 2);

        limiter.Complete(limiter.TryReserve("dev", Attacker, out _)!, failed: false);
        Fail(limiter, "dev", Attacker, times: 2);
        Assert.False(limiter.IsBlocked("dev", Attacker, out _));

        var before = limiter.TrackedBuckets;
        limiter.Complete(limiter.TryReserve("dev", Clean, out _)!, failed: false);
        Assert.Equal(before, limiter.TrackedBuckets);
    }

    [Fact]
    public void Memory_stays_bounded_under_failures_from_a_million_addresses_and_drains_after_the_backoff()
    {
        const int maxTracked = 10_000;
        var limiter = Limiter(limit: 10, maxTracked: maxTracked);
        Fail(limiter, "dev", Attacker, times: 10);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < 1_000_000; i++)
        {
            Fail(limiter, $"probe-{i % 97}", $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}", times: 1);
            Assert.True(limiter.TrackedBuckets <= maxTracked);
        }
        var grown = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        TestContext.Current.TestOutputHelper?.WriteLine($"{limiter.TrackedBuckets} buckets, {grown / 1024.0 / 1024.0:0.0} MB over baseline");

        Assert.InRange(grown, 0, maxTracked * 1_000L);
        _time.Advance(TimeSpan.FromMinutes(30));
        limiter.Complete(limiter.TryReserve("dev", Clean, out _)!, failed: true);
        Assert.Equal(2, limiter.TrackedBuckets);
    }

    private void Fail(ClientFailureLimiter limiter, string clientId, string source, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var reservation = limiter.TryReserve(clientId, source, out _);
            Assert.NotNull(reservation);
            limiter.Complete(reservation, failed: true);
        }
    }

    private ClientFailureLimiter Limiter(int limit, int sourceLimit = 100, TimeSpan? maxBackoff = null, int maxTracked = 100_000) => new(
        Microsoft.Extensions.Options.Options.Create(new KeyServiceOptions
        {
            ClientFailureLimit = limit,
            SourceFailureLimit = sourceLimit,
            ClientFailureWindow = TimeSpan.FromMinutes(1),
            ClientFailureMaxBackoff = maxBackoff ?? TimeSpan.FromMinutes(15),
            ClientFailureMaxTracked = maxTracked,
        }), _time);
}
