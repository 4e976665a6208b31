namespace KeyService.Keys;

/// <summary>Tells other replicas that the ring changed, so they reload without waiting for the periodic re-read.</summary>
public interface IKeyRingChangeFeed
{
    Task SubscribeAsync(Action onChanged, CancellationToken cancellationToken);

    Task PublishAsync(CancellationToken cancellationToken);
}
