using Microsoft.Extensions.Options;
using ModelContextProtocol;
using TotService.Engine.Providers;
using TotService.Engine.Search;

namespace TotService.Runs;

/// <summary>
/// Starts runs (admission control: per-client limit across replicas, queue bound on this replica) and cancels
/// them from any replica.
/// </summary>
public sealed class RunCommands(
    IRunStore store,
    IModelTranscriptStore transcripts,
    IRunCancellationBus cancellationBus,
    LocalRuns local,
    RunExecutor executor,
    RunQueries queries,
    RunMetrics metrics,
    ReplicaIdentity replica,
    IOptions<RunOptions> options,
    TimeProvider timeProvider) : IDisposable
{
    // One admission at a time on this replica, so two concurrent starts cannot both take the last slot.
    private readonly SemaphoreSlim _admission = new(1, 1);

    /// <param name="observer">Attached before the run is queued, so it sees every progress report.</param>
    public async Task<LocalRun> StartAsync(string owner, RunRequest request, CancellationToken cancellationToken, Action<SearchProgress>? observer = null)
    {
        await _admission.WaitAsync(cancellationToken);
        try
        {
            var settings = options.Value;
            if (local.Count >= settings.MaxConcurrent + settings.MaxQueued)
            {
                metrics.Rejected("server_busy");
                throw new McpException(
                    $"The server is busy ({local.Count} runs executing or queued on this replica, at most {settings.MaxConcurrent + settings.MaxQueued}). Try again shortly.");
            }
            var record = await AdmitAsync(owner, request.Problem, request.Domain, request.Settings, request.Provider, RunState.Queued, cancellationToken);
            var run = new LocalRun(record, request.Problem, request.Providers, request.SamplingGate);
            if (observer is not null)
            {
                run.Progressed += observer;
            }
            local.Add(run);
            metrics.Queued();
            executor.Enqueue(run);
            return run;
        }
        finally
        {
            _admission.Release();
        }
    }

    /// <summary>
    /// Admits a run on the model of a client without a session (<see cref="RunState.Waiting"/>): it counts against the
    /// client's live runs like any other, but no replica holds it, so it takes no lease and no execution slot.
    /// </summary>
    public async Task<RunRecord> CreateWaitingAsync(string owner, ThoughtProblem problem, string domain, SearchSettings searchSettings, CancellationToken cancellationToken)
    {
        await _admission.WaitAsync(cancellationToken);
        try
        {
            var record = await AdmitAsync(owner, problem, domain, searchSettings, ProviderKind.Sampling, RunState.Waiting, cancellationToken);
            await store.ReleaseLeaseAsync(record.Id, cancellationToken);
            return record;
        }
        finally
        {
            _admission.Release();
        }
    }

    private async Task<RunRecord> AdmitAsync(
        string owner, ThoughtProblem problem, string domain, SearchSettings searchSettings, ProviderKind provider, RunState state, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var owned = await queries.ListOwnedAsync(owner, Math.Max(100, settings.MaxStoredRunsPerClient), cancellationToken);
        var live = owned.Count(run => run.State.IsLive());
        if (live >= settings.MaxConcurrentPerClient)
        {
            metrics.Rejected("client_limit");
            throw new McpException(
                $"You already have {live} live runs (queued, running or waiting for your model); the limit is {settings.MaxConcurrentPerClient} per client. Wait for one to finish or stop one with tot_cancel_run.");
        }

        await EvictOldestAsync(owned, settings.MaxStoredRunsPerClient - 1, cancellationToken);
        var record = new RunRecord
        {
            Id = RunIds.New(),
            Owner = owner,
            State = state,
            Task = problem.Task,
            Constraints = problem.Constraints,
            Domain = domain,
            Provider = provider,
            Settings = searchSettings,
            CreatedAt = timeProvider.GetUtcNow(),
            Replica = state == RunState.Waiting ? null : replica.Id,
        };
        await store.CreateAsync(record, replica.Id, cancellationToken);
        return record;
    }

    /// <summary>Deletes the client's oldest finished runs until at most <paramref name="keep"/> are stored.</summary>
    private async Task EvictOldestAsync(IReadOnlyList<RunRecord> owned, int keep, CancellationToken cancellationToken)
    {
        foreach (var run in owned.Where(run => !run.State.IsLive()).OrderBy(run => run.CreatedAt).Take(owned.Count - keep))
        {
            await store.DeleteAsync(run, cancellationToken);
        }
    }

    /// <summary>
    /// Asks the run to stop: a flag in the store (polled by the executing replica) and a <c>tot:cancel</c> message
    /// (acted on at once). Returns the run as it is now; a finished run is left as it is.
    /// </summary>
    public async Task<RunRecord> CancelAsync(string runId, string owner, CancellationToken cancellationToken)
    {
        var run = await queries.GetOwnedAsync(runId, owner, cancellationToken);
        if (!run.State.IsLive())
        {
            return run;
        }
        if (run.State == RunState.Waiting)
        {
            // Nobody executes a waiting run: cancelling it is ending it here, unless a round ended it meanwhile.
            var cancelled = run with { State = RunState.Cancelled, StopReason = StopReason.Cancelled, FinishedAt = timeProvider.GetUtcNow() };
            if (await store.TryReplaceLostAsync(run, cancelled, cancellationToken))
            {
                await transcripts.DeleteAsync(run.Id, cancellationToken);
                metrics.Ended(cancelled, cancelled.FinishedAt!.Value - cancelled.CreatedAt);
            }
            return run;
        }
        await store.RequestCancelAsync(run.Id, cancellationToken);
        if (!executor.RequestCancel(run.Id))
        {
            await cancellationBus.PublishAsync(run.Id, cancellationToken);
        }
        return run;
    }

    /// <summary>Cancels a run held by this replica (e.g. when the <c>tot_solve</c> call waiting for it is cancelled).</summary>
    public bool CancelHere(string runId) => executor.RequestCancel(runId);

    public void Dispose() => _admission.Dispose();
}
