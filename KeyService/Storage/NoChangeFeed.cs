using KeyService.Keys;

namespace KeyService.Storage;

/// <summary>The file store has no notifications; replicas sharing a folder rely on the periodic re-read.</summary>
public sealed class NoChangeFeed : IKeyRingChangeFeed
{
    public Task SubscribeAsync(Action onChanged, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PublishAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
