using KeyService.Storage;
using StackExchange.Redis;

namespace KeyService.Tests.Storage;

/// <summary>The same contract on the in-process store and on a real Redis-protocol server.</summary>
public sealed class GrantStoreContractTests
{
    [Theory]
    [InlineData("memory")]
    [InlineData("redis")]
    public async Task A_value_is_taken_once_and_an_expiring_set_holds_at_most_its_capacity(string kind)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var redis = kind == "redis" ? await RedisServer.StartAsync() : null;
        await using var connection = redis is null ? null : await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        IGrantStore store = connection is null ? new MemoryGrantStore(TimeProvider.System) : new RedisGrantStore(connection, TimeProvider.System);

        await store.SetAsync("code:a", [1, 2, 3], TimeSpan.FromMinutes(1), cancellationToken);
        var takes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.TakeAsync("code:a", cancellationToken)));
        Assert.Single(takes, t => t is not null);
        Assert.Null(await store.GetAsync("code:a", cancellationToken));

        var later = DateTimeOffset.UtcNow.AddMinutes(5);
        Assert.True(await store.TryTrackAsync("set", "one", later, 2, cancellationToken));
        Assert.True(await store.TryTrackAsync("set", "two", later, 2, cancellationToken));
        Assert.False(await store.TryTrackAsync("set", "three", later, 2, cancellationToken));
        Assert.True(await store.TryTrackAsync("set", "two", later.AddMinutes(1), 2, cancellationToken));
        Assert.Equal(["one", "two"], await store.MembersAsync("set", cancellationToken));
        await store.UntrackAsync("set", "one", cancellationToken);
        Assert.Equal(["two"], await store.MembersAsync("set", cancellationToken));
        Assert.True(await store.TryTrackAsync("set", "three", later, 2, cancellationToken));
        Assert.Empty(await store.MembersAsync("no-such-set", cancellationToken));
        // An expired member leaves room.
        Assert.True(await store.TryTrackAsync("expired", "old", DateTimeOffset.UtcNow.AddSeconds(-1), 1, cancellationToken));
        Assert.True(await store.TryTrackAsync("expired", "new", later, 1, cancellationToken));
        Assert.Equal(["new"], await store.MembersAsync("expired", cancellationToken));
    }
}
