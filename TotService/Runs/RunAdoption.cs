using Microsoft.Extensions.Options;
using TotService.Engine.Providers;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;

namespace TotService.Runs;

/// <summary>
/// Takes over a run whose executing replica went away (its lease lapsed): the replica that notices starts the search
/// again under the same run id, so the run is not lost, only its progress. A run can be taken over when this replica
/// can build its providers (a domain solver, or the configured endpoint) and has room in its queue; a run on a client's
/// model through a session cannot (the session died with its replica), so it is marked failed as before.
/// </summary>
public sealed class RunAdoption(
    IRunStore store,
    LocalRuns local,
    RunExecutor executor,
    RunMetrics metrics,
    ReplicaIdentity replica,
    ThoughtProviderFactory providerFactory,
    IOptions<LlmProviderOptions> llmOptions,
    IOptions<RunOptions> options)
{
    /// <summary>The run as restarted here, or null when this replica cannot take it (then the caller marks it failed).</summary>
    public async Task<RunRecord?> TryAdoptAsync(RunRecord lost, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (lost.State is not (RunState.Queued or RunState.Running) || local.Count >= settings.MaxConcurrent + settings.MaxQueued
            || Providers(lost) is not { } providers)
        {
            return null;
        }
        var restarted = lost with
        {
            State = RunState.Queued,
            Replica = replica.Id,
            StartedAt = null,
            NodesExpanded = 0,
            NodeCount = 0,
            DepthReached = 0,
            BestScore = null,
            ElapsedSeconds = 0,
        };
        if (!await store.TryReplaceLostAsync(lost, restarted, cancellationToken, leaseHolder: replica.Id))
        {
            return null;
        }
        var run = new LocalRun(restarted, new ThoughtProblem(lost.Task, lost.Constraints), providers);
        local.Add(run);
        metrics.Queued();
        metrics.Adopted();
        executor.Enqueue(run);
        return restarted;
    }

    private ThoughtProviders? Providers(RunRecord run) => run.Provider switch
    {
        ProviderKind.Domain => providerFactory.Create(ProviderKind.Domain, run.Domain),
        ProviderKind.Endpoint when llmOptions.Value.IsConfigured =>
            providerFactory.Create(ProviderKind.Endpoint, run.Domain, OpenAiChatClientFactory.Create(llmOptions.Value)),
        _ => null,
    };
}
