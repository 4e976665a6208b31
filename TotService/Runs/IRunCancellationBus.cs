namespace TotService.Runs;

/// <summary>Tells every replica that a run should stop (Redis pub/sub on <c>StorageKeys.CancelChannel</c>).</summary>
public interface IRunCancellationBus
{
    Task PublishAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Calls <paramref name="onCancel"/> with each run id published by any replica (this one included).</summary>
    Task SubscribeAsync(Action<string> onCancel, CancellationToken cancellationToken);
}
