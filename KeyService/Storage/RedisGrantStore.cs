using StackExchange.Redis;

namespace KeyService.Storage;

/// <summary><see cref="IGrantStore"/> in Redis under <c>keys:oauth:</c>, each entry with its own expiry.</summary>
public sealed class RedisGrantStore(IConnectionMultiplexer redis) : IGrantStore
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
}
