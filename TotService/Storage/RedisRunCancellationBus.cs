using StackExchange.Redis;
using TotService.Runs;

namespace TotService.Storage;

/// <summary>Cancel notifications between replicas over Redis pub/sub (<see cref="StorageKeys.CancelChannel"/>).</summary>
public sealed class RedisRunCancellationBus(IConnectionMultiplexer redis) : IRunCancellationBus
{
    private static readonly RedisChannel Channel = RedisChannel.Literal(StorageKeys.CancelChannel);

    public Task PublishAsync(string runId, CancellationToken cancellationToken) =>
        redis.GetSubscriber().PublishAsync(Channel, runId);

    public Task SubscribeAsync(Action<string> onCancel, CancellationToken cancellationToken) =>
        redis.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
        {
            if (!message.IsNullOrEmpty)
            {
                // Off the multiplexer's reader: cancelling runs the search's continuations, which await Redis themselves.
                var runId = message.ToString();
                ThreadPool.QueueUserWorkItem(_ => onCancel(runId));
            }
        });
}
