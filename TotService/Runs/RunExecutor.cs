using System.Collections.Concurrent;
using TotService.Engine.Search;

namespace TotService.Runs;

/// <summary>
/// Executes this replica's runs in the background: each accepted run waits for a slot from the fair
/// <see cref="RunScheduler"/>, searches, and finishes with its result written before its final state. Leases,
/// progress and cancel flags are kept by <see cref="RunLeaseKeeper"/>.
/// </summary>
public sealed partial class RunExecutor(
    LocalRuns local,
    IRunStore store,
    RunScheduler scheduler,
    RunResultBudget results,
    ThoughtSearchEngine engine,
    RunMetrics metrics,
    ReplicaIdentity replica,
    TimeProvider timeProvider,
    ILogger<RunExecutor> logger) : BackgroundService
{
    public const string ShutdownError = "The executing replica shut down before the run finished.";

    private readonly ConcurrentDictionary<string, Task> _executing = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public void Enqueue(LocalRun run)
    {
        if (_stopping.IsCancellationRequested)
        {
            throw new InvalidOperationException("The run executor has stopped.");
        }
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(run.CancellationToken, _stopping.Token);
        // Taken now, not on the pool thread, so runs take their places in line in the order they were accepted.
        var slot = scheduler.AcquireAsync(run.Owner, cancellation.Token);
        var execution = Task.Run(() => ProcessAsync(run, slot, cancellation));
        _executing[run.Id] = execution;
        // Registered after the entry exists, so even a run that ends at once is removed.
        _ = execution.ContinueWith(done => _executing.TryRemove(run.Id, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Cancels a run this replica holds (a queued one stops waiting at once); false when this replica does not hold it.</summary>
    public bool RequestCancel(string runId) => local.TryCancel(runId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
        // Stopping: running searches end at their next check, queued runs stop waiting; each then writes its final state.
        await _stopping.CancelAsync();
        await Task.WhenAll(_executing.Values);
    }

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    private async Task ProcessAsync(LocalRun run, Task slot, CancellationTokenSource cancellation)
    {
        using var linked = cancellation;
        try
        {
            await slot;
        }
        catch (OperationCanceledException)
        {
            await FinishAsync(run, Stopped(run, run.Record, result: null), wasRunning: false, result: null);
            return;
        }

        var gate = run.SamplingGate ?? new SamplingGate();
        gate.Bind(scheduler, run.Owner);
        try
        {
            await ExecuteRunAsync(run, linked.Token);
        }
        finally
        {
            await gate.CloseAsync();
        }
    }

    private async Task ExecuteRunAsync(LocalRun run, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(run, Stopped(run, run.Record, result: null), wasRunning: false, result: null);
            return;
        }

        try
        {
            await run.StartAsync(timeProvider.GetUtcNow(), replica.Id, store);
        }
        catch (Exception ex)
        {
            LogStoreFailed(ex, run.Id);
        }
        metrics.Started();
        SearchResult? result = null;
        string? error = null;
        try
        {
            result = await engine.RunAsync(run.Problem, run.Record.Settings, run.Providers, run, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
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
            { StopReason: StopReason.Cancelled } => Stopped(run, run.Record.WithResult(result), result),
            _ => run.Record.Finished(result),
        };
        await FinishAsync(run, final, wasRunning: true, result);
    }

    /// <summary>Cancelled by its owner, or cut short because this replica is stopping.</summary>
    private static RunRecord Stopped(LocalRun run, RunRecord record, SearchResult? result) => run.CancelRequested
        ? record with { State = RunState.Cancelled, StopReason = result?.StopReason ?? StopReason.Cancelled }
        : record with { State = RunState.Failed, Error = ShutdownError };

    private async Task FinishAsync(LocalRun run, RunRecord final, bool wasRunning, SearchResult? result)
    {
        if (result is not null)
        {
            // Before the final record, so a run that reads as finished has its result readable.
            try
            {
                var stored = await results.StoreAsync(final, result, CancellationToken.None);
                final = final with { ResultTrimmed = stored.Trimmed, Error = stored.Refusal ?? final.Error };
                if (stored.Refusal is not null)
                {
                    LogResultRefused(run.Id, stored.Refusal);
                }
            }
            catch (Exception ex)
            {
                LogStoreFailed(ex, run.Id);
            }
        }
        final = final with { FinishedAt = timeProvider.GetUtcNow() };
        await run.FinishAsync(final, store, ex => LogStoreFailed(ex, run.Id));

        local.Remove(run.Id);
        metrics.Finished(final, wasRunning, final.FinishedAt!.Value - final.CreatedAt);
        LogRunFinished(run.Id, final.State.Name(), final.StopReason, final.NodesExpanded);
        run.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {RunId} failed unexpectedly")]
    private partial void LogRunCrashed(Exception ex, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store run {RunId}")]
    private partial void LogStoreFailed(Exception ex, string runId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: {Refusal}")]
    private partial void LogResultRefused(string runId, string refusal);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} finished: {State}, stop reason {StopReason}, {NodesExpanded} nodes expanded")]
    private partial void LogRunFinished(string runId, string state, StopReason? stopReason, int nodesExpanded);
}
