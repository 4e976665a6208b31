namespace KeyService.Keys;

/// <summary>Mutual exclusion for changing the ring, across replicas or processes.</summary>
public interface IKeyRingLock
{
    /// <summary>Waits up to <paramref name="wait"/> for the lock; null when another holder kept it.</summary>
    Task<IAsyncDisposable?> TryAcquireAsync(TimeSpan wait, CancellationToken cancellationToken);
}
