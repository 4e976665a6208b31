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

    /// <summary>A sorted set scored by expiry, purged, counted and added to in one script (atomic across replicas).</summary>
    public async Task<bool> TryTrackAsync(string set, string member, DateTimeOffset expires, long capacity, CancellationToken cancellationToken)
    {
        const string Script = """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            if redis.call('ZSCORE', KEYS[1], ARGV[3]) == false and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
            return 1
            """;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var added = await redis.GetDatabase().ScriptEvaluateAsync(Script, [Prefix + set],
            [now, expires.ToUnixTimeMilliseconds(), member, capacity]).WaitAsync(cancellationToken);
        return (long)added == 1;
    }
}
