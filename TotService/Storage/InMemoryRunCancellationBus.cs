using TotService.Runs;

namespace TotService.Storage;

/// <summary>Cancel notifications within one process (no Redis: there is only one replica).</summary>
public sealed class InMemoryRunCancellationBus : IRunCancellationBus
{
    private event Action<string>? Cancelled;

    public Task PublishAsync(string runId, CancellationToken cancellationToken)
    {
        Cancelled?.Invoke(runId);
        return Task.CompletedTask;
    }

    public Task SubscribeAsync(Action<string> onCancel, CancellationToken cancellationToken)
    {
        Cancelled += onCancel;
        return Task.CompletedTask;
    }
}
