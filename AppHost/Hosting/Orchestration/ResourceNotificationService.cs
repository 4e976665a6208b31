using System.Collections.Concurrent;

namespace AppHost.Hosting.Orchestration;

/// <summary>Latest snapshot of every resource instance, with change notifications and waits.</summary>
public sealed class ResourceNotificationService
{
    private readonly ConcurrentDictionary<string, ResourceSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private TaskCompletionSource _changed = NewSignal();

    public event Action<ResourceSnapshot>? Changed;

    public IReadOnlyList<ResourceSnapshot> Snapshots =>
        [.. _snapshots.Values.OrderBy(s => s.Resource, StringComparer.Ordinal).ThenBy(s => s.Replica)];

    public IReadOnlyList<ResourceSnapshot> SnapshotsOf(string resource) =>
        [.. Snapshots.Where(s => s.Resource == resource)];

    internal void Publish(ResourceSnapshot snapshot)
    {
        if (_snapshots.TryGetValue(snapshot.InstanceName, out var previous) && previous == snapshot)
        {
            return;
        }
        _snapshots[snapshot.InstanceName] = snapshot;
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
        Changed?.Invoke(snapshot);
    }

    /// <summary>Waits until every instance of <paramref name="resource"/> satisfies <paramref name="predicate"/>.</summary>
    public async Task<IReadOnlyList<ResourceSnapshot>> WaitForResourceAsync(
        string resource, Func<ResourceSnapshot, bool> predicate, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }
            var instances = SnapshotsOf(resource);
            if (instances.Count > 0 && instances.All(predicate))
            {
                return instances;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Waits until every replica is running and healthy; fails fast when one has given up.</summary>
    public Task<IReadOnlyList<ResourceSnapshot>> WaitForResourceHealthyAsync(string resource, CancellationToken cancellationToken = default) =>
        WaitForResourceAsync(resource, snapshot =>
        {
            if (snapshot.State is ResourceState.FailedToStart or ResourceState.Finished or ResourceState.Exited)
            {
                throw new InvalidOperationException(
                    $"Resource '{snapshot.InstanceName}' will not become healthy: {snapshot.State}. {snapshot.Message}");
            }
            return snapshot.IsHealthy;
        }, cancellationToken);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
