using StackExchange.Redis;

namespace KeyService.Storage;

/// <summary><see cref="IGrantStore"/> in Redis under <c>keys:oauth:</c>, each entry with its own expiry.</summary>
public sealed class RedisGrantStore(IConnectionMultiplexer redis, TimeProvider time) : IGrantStore
{
    public const string Prefix = "keys:oauth:";

    public Task SetAsync(string key, byte[] value, TimeSpan lifetime, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(Prefix + key, value, lifetime).WaitAsync(cancellationToken);

    public async Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        (byte[]?)await redis.GetDatabase().StringGetAsync(Prefix + key).WaitAsync(cancellationToken);

    public async Task<byte[]?> TakeAsync(string key, CancellationToken cancellationToken) =>
        (byte[]?)await redis.GetDatabase().StringGetDeleteAsync(Prefix + key).WaitAsync(cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        redis.GetDatabase().KeyDeleteAsync(Prefix + key).WaitAsync(cancellationToken);

    /// <summary>
    /// A sorted set scored by expiry: purged, checked, then added to. Plain commands, no script (Garnet runs without
    /// Lua by default), so replicas registering at the same instant may pass the cap by as many as run at once.
    /// </summary>
    public async Task<bool> TryTrackAsync(string set, string member, DateTimeOffset expires, long capacity, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var key = (RedisKey)(Prefix + set);
        await database.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, time.GetUtcNow().ToUnixTimeMilliseconds()).WaitAsync(cancellationToken);
        var known = await database.SortedSetScoreAsync(key, member).WaitAsync(cancellationToken) is not null;
        if (!known && await database.SortedSetLengthAsync(key).WaitAsync(cancellationToken) >= capacity)
        {
            return false;
        }
        await database.SortedSetAddAsync(key, member, expires.ToUnixTimeMilliseconds()).WaitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<string>> MembersAsync(string set, CancellationToken cancellationToken)
    {
        var members = await redis.GetDatabase()
            .SortedSetRangeByScoreAsync(Prefix + set, time.GetUtcNow().ToUnixTimeMilliseconds(), double.PositiveInfinity, Exclude.Start)
            .WaitAsync(cancellationToken);
        return [.. members.Select(m => m.ToString())];
    }

    public Task UntrackAsync(string set, string member, CancellationToken cancellationToken) =>
        redis.GetDatabase().SortedSetRemoveAsync(Prefix + set, member).WaitAsync(cancellationToken);
}
