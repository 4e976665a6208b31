using ModelContextProtocol;
using TotService.Engine.Rendering;
using TotService.Engine.Search;
using TotService.Runs;

namespace TotService.Tools;

/// <summary>Reads a finished run with its stored result, or a tool error that says why there is none.</summary>
public sealed class RunResultReader(RunQueries queries, IRunStore store)
{
    public async Task<(RunRecord Run, SearchResult Result)> ReadAsync(string runId, string owner, CancellationToken cancellationToken)
    {
        var run = await queries.GetOwnedAsync(runId, owner, cancellationToken);
        if (run.State.IsLive())
        {
            throw new McpException($"Run {run.Id} has not finished yet (state {run.State.Name()}, {run.NodesExpanded} nodes expanded); poll tot_run_status.");
        }
        var result = await FindAsync(run, cancellationToken)
            ?? throw new McpException($"Run {run.Id} ended ({run.State.Name()}) without a result: {run.Error ?? "the search never started."}");
        return (run, result);
    }

    /// <summary>The stored result of <paramref name="run"/>; null while it is live or when it ended before its search started.</summary>
    public async Task<SearchResult?> FindAsync(RunRecord run, CancellationToken cancellationToken) =>
        !run.State.IsLive() && await store.GetResultAsync(run.Id, cancellationToken) is { } json
            ? EngineJson.DeserializeResult(json)
            : null;
}
