using KeyService.Keys;
using StackExchange.Redis;

namespace KeyService.Storage;

/// <summary>Pub/sub channel <c>keys:changed</c>; StackExchange.Redis re-subscribes by itself after a reconnect.</summary>
public sealed class RedisKeyRingChangeFeed(IConnectionMultiplexer redis) : IKeyRingChangeFeed
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("keys:changed");

    public Task SubscribeAsync(Action onChanged, CancellationToken cancellationToken) =>
        redis.GetSubscriber().SubscribeAsync(Channel, (_, _) => onChanged()).WaitAsync(cancellationToken);

    public Task PublishAsync(CancellationToken cancellationToken) =>
        redis.GetSubscriber().PublishAsync(Channel, "changed").WaitAsync(cancellationToken);
}
