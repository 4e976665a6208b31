using System.Threading.Channels;
using Microsoft.Extensions.Options;
using TotService.Engine.Rendering;
using TotService.Engine.Search;
using TotService.Storage;

namespace TotService.Runs;

/// <summary>
/// Executes this replica's runs in the background: <see cref="RunOptions.MaxConcurrent"/> workers take runs from
/// a queue, and one heartbeat loop renews the leases of every held run, saves progress, and polls cancel flags
/// (the fallback for a missed <c>tot:cancel</c> message; the message itself cancels at once).
/// </summary>
public sealed partial class RunExecutor(
    LocalRuns local,
    IRunStore store,
    IRunCancellationBus cancellationBus,
    ThoughtSearchEngine engine,
    RunMetrics metrics,
    ReplicaIdentity replica,
    IOptions<RunOptions> options,
    TimeProvider timeProvider,
    ILogger<RunExecutor> logger) : BackgroundService
{
    public const string ShutdownError = "The executing replica shut down before the run finished.";

    private readonly Channel<LocalRun> _queue = Channel.CreateUnbounded<LocalRun>(new UnboundedChannelOptions { SingleWriter = false });

    public void Enqueue(LocalRun run)
    {
        if (!_queue.Writer.TryWrite(run))
        {
            throw new InvalidOperationException("The run executor has stopped.");
        }
    }

    /// <summary>
    /// Cancels a run this replica holds: a running search stops at its next check; a queued run is finished as
    /// cancelled at once instead of waiting for a slot. False when this replica does not hold the run.
    /// </summary>
    public bool RequestCancel(string runId)
    {
        if (!local.TryGet(runId, out var run))
        {
            return false;
        }
        run.RequestCancel();
        if (run.TryClaim())
        {
            _ = FinishAsync(run, Stopped(run, run.Record, result: null), wasRunning: false, result: null);
        }
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await cancellationBus.SubscribeAsync(runId => RequestCancel(runId), stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Cancel flags are still polled, so cancellation keeps working, only slower.
            LogSubscribeFailed(ex);
        }

        var workers = Enumerable.Range(0, options.Value.MaxConcurrent).Select(_ => WorkAsync(stoppingToken)).ToList();
        await Task.WhenAll([.. workers, HeartbeatAsync(stoppingToken)]);

        // Stopping: runs still queued will never start here.
        _queue.Writer.TryComplete();
        while (_queue.Reader.TryRead(out var run))
        {
            if (!run.TryClaim())
            {
                continue;
            }
            await FinishAsync(run, run.Record with { State = RunState.Failed, Error = ShutdownError }, wasRunning: false, result: null);
        }
    }

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var run in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (run.TryClaim())
                {
                    await ExecuteRunAsync(run, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ExecuteRunAsync(LocalRun run, CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(run.Cancellation.Token, stoppingToken);
        if (linked.IsCancellationRequested)
        {
            await FinishAsync(run, Stopped(run, run.Record, result: null), wasRunning: false, result: null);
            return;
        }

        await WriteAsync(run, run.Record with { State = RunState.Running, StartedAt = timeProvider.GetUtcNow(), Replica = replica.Id });
        metrics.Started();
        SearchResult? result = null;
        string? error = null;
        try
        {
            result = await engine.RunAsync(run.Problem, run.Record.Settings, run.Providers, run, linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
        }
        catch (Exception ex)
        {
            LogRunCrashed(ex, run.Id);
            error = "The search failed unexpectedly; see the server log.";
        }

        var final = result switch
        {
            null when error is not null => run.Record with { State = RunState.Failed, Error = error },
            null => Stopped(run, run.Record, null),
            { StopReason: StopReason.Cancelled } => Stopped(run, WithResult(run.Record, result), result),
            { StopReason: StopReason.ProviderFailed } => WithResult(run.Record, result) with { State = RunState.Failed, Error = result.Error ?? "A thought provider failed." },
            _ => WithResult(run.Record, result) with { State = RunState.Completed },
        };
        await FinishAsync(run, final, wasRunning: true, result);
    }

    /// <summary>Cancelled by its owner, or cut short because this replica is stopping.</summary>
    private static RunRecord Stopped(LocalRun run, RunRecord record, SearchResult? result) => run.CancelRequested
        ? record with { State = RunState.Cancelled, StopReason = result?.StopReason ?? StopReason.Cancelled }
        : record with { State = RunState.Failed, Error = ShutdownError };

    private static RunRecord WithResult(RunRecord record, SearchResult result) => record with
    {
        NodesExpanded = result.NodesExpanded,
        NodeCount = result.NodeCount,
        DepthReached = result.DepthReached,
        BestScore = result.BestScore,
        ElapsedSeconds = result.Elapsed.TotalSeconds,
        StopReason = result.StopReason,
        Solved = result.Solved,
        Answer = result.Answer,
    };

    private async Task FinishAsync(LocalRun run, RunRecord final, bool wasRunning, SearchResult? result)
    {
        final = final with { FinishedAt = timeProvider.GetUtcNow() };
        await run.WriteLock.WaitAsync();
        try
        {
            // The result first, so whoever reads a final state (from the store or from this replica's memory) finds it.
            if (result is not null)
            {
                await store.SaveResultAsync(run.Id, EngineJson.Serialize(result), CancellationToken.None);
            }
            await store.SaveAsync(final, CancellationToken.None);
            await store.ReleaseLeaseAsync(run.Id, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogStoreFailed(ex, run.Id);
        }
        finally
        {
            // Only now does the in-memory record say the run ended: status answered from it while the result was
            // still being written sent clients to tot_run_result too early ("ended without a result").
            run.Finished = true;
            run.Record = final;
            run.WriteLock.Release();
        }

        local.Remove(run.Id);
        metrics.Finished(final, wasRunning, final.FinishedAt!.Value - final.CreatedAt);
        LogRunFinished(run.Id, final.State.Name(), final.StopReason, final.NodesExpanded);
        run.Complete(final);
        run.Dispose();
    }

    private async Task WriteAsync(LocalRun run, RunRecord record)
    {
        await run.WriteLock.WaitAsync();
        try
        {
            run.Record = record;
            await store.SaveAsync(record, CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogStoreFailed(ex, run.Id);
        }
        finally
        {
            run.WriteLock.Release();
        }
    }

    private async Task HeartbeatAsync(CancellationToken stoppingToken)
    {
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
                        RequestCancel(runId);
                    }

                    if (timeProvider.GetElapsedTime(lastBeat) >= settings.HeartbeatInterval)
                    {
                        lastBeat = timeProvider.GetTimestamp();
                        await store.RenewLeasesAsync(ids, replica.Id, stoppingToken);
                        foreach (var run in held)
                        {
                            await SaveProgressAsync(run);
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

    private async Task SaveProgressAsync(LocalRun run)
    {
        if (run.LatestProgress is not { } progress)
        {
            return;
        }
        try
        {
            await run.WriteLock.WaitAsync();
        }
        catch (ObjectDisposedException)
        {
            return; // finished and disposed meanwhile
        }
        try
        {
            if (!run.Finished && run.Record.State == RunState.Running)
            {
                run.Record = run.Record.WithProgress(progress);
                await store.SaveAsync(run.Record, CancellationToken.None);
            }
        }
        finally
        {
            run.WriteLock.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to run cancellations; relying on polling")]
    private partial void LogSubscribeFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed unexpectedly")]
    private partial void LogRunCrashed(Exception ex, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store run {RunId}")]
    private partial void LogStoreFailed(Exception ex, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run heartbeat failed; leases may lapse")]
    private partial void LogHeartbeatFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} finished: {State}, stop reason {StopReason}, {NodesExpanded} nodes expanded")]
    private partial void LogRunFinished(string runId, string state, StopReason? stopReason, int nodesExpanded);
}
