using KeyService.Keys;
using StackExchange.Redis;

namespace KeyService.Storage;

/// <summary>The ring as one Redis string (<c>keys:ring</c>), so a write replaces it atomically.</summary>
public sealed class RedisKeyRingStore(IConnectionMultiplexer redis) : IKeyRingStore
{
    public const string RingKey = "keys:ring";

    public string Location => $"redis key '{RingKey}'";

    public async Task<byte[]?> LoadAsync(CancellationToken cancellationToken)
    {
        var value = await redis.GetDatabase().StringGetAsync(RingKey).WaitAsync(cancellationToken);
        return value.IsNull ? null : (byte[]?)value;
    }

    public Task SaveAsync(ReadOnlyMemory<byte> document, CancellationToken cancellationToken) =>
        redis.GetDatabase().StringSetAsync(RingKey, document).WaitAsync(cancellationToken);
}
