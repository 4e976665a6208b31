using Microsoft.Extensions.Options;

namespace TotService.Runs;

/// <summary>
/// Keeps this replica's runs alive and stoppable: one loop renews the lease of every held run (queued ones too) and
/// saves progress every <see cref="RunOptions.HeartbeatInterval"/>, and polls cancel flags every
/// <see cref="RunOptions.CancelPollInterval"/> (the fallback for a missed <c>tot:cancel</c> message; the message itself,
/// subscribed here, cancels at once).
/// </summary>
public sealed partial class RunLeaseKeeper(
    LocalRuns local,
    IRunStore store,
    IRunCancellationBus cancellationBus,
    ReplicaIdentity replica,
    IOptions<RunOptions> options,
    TimeProvider timeProvider,
    ILogger<RunLeaseKeeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await cancellationBus.SubscribeAsync(runId => local.TryCancel(runId), stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Cancel flags are still polled, so cancellation keeps working, only slower.
            LogSubscribeFailed(ex);
        }

        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.CancelPollInterval, timeProvider);
        var lastBeat = timeProvider.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var held = local.All;
                if (held.Count == 0)
                {
                    continue;
                }
                try
                {
                    var ids = held.Select(run => run.Id).ToList();
                    foreach (var runId in await store.CancelRequestedAsync(ids, stoppingToken))
                    {
                        local.TryCancel(runId);
                    }

                    if (timeProvider.GetElapsedTime(lastBeat) >= settings.HeartbeatInterval)
                    {
                        lastBeat = timeProvider.GetTimestamp();
                        await store.RenewLeasesAsync(ids, replica.Id, stoppingToken);
                        foreach (var run in held)
                        {
                            await run.SaveProgressAsync(store);
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHeartbeatFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to run cancellations; relying on polling")]
    private partial void LogSubscribeFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run heartbeat failed; leases may lapse")]
    private partial void LogHeartbeatFailed(Exception ex);
}
