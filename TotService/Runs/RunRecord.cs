using TotService.Engine.Providers;
using TotService.Engine.Search;

namespace TotService.Runs;

/// <summary>
/// What every replica knows about a run: the request, its state and its latest progress. Stored as JSON under
/// <c>tot:run:{id}</c>; the full result (tree included) is stored separately because it can be large.
/// </summary>
public sealed record RunRecord
{
    public required string Id { get; init; }

    /// <summary>The token subject (<c>sub</c>) that started the run; nobody else can see it.</summary>
    public required string Owner { get; init; }

    public required RunState State { get; init; }

    public required string Task { get; init; }

    public string? Constraints { get; init; }

    public required string Domain { get; init; }

    public required ProviderKind Provider { get; init; }

    public required SearchSettings Settings { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>The replica executing (or that executed) the run.</summary>
    public string? Replica { get; init; }

    public int NodesExpanded { get; init; }

    public int NodeCount { get; init; }

    public int DepthReached { get; init; }

    public double? BestScore { get; init; }

    public double ElapsedSeconds { get; init; }

    public StopReason? StopReason { get; init; }

    public bool Solved { get; init; }

    public string? Answer { get; init; }

    public string? Error { get; init; }

    /// <summary>The stored trace was too large for <see cref="RunOptions.MaxResultBytes"/>, so its texts were clipped.</summary>
    public bool ResultTrimmed { get; init; }

    /// <summary>The search's counts and answer, without changing the state.</summary>
    public RunRecord WithResult(SearchResult result) => this with
    {
        NodesExpanded = result.NodesExpanded,
        NodeCount = result.NodeCount,
        DepthReached = result.DepthReached,
        BestScore = result.BestScore,
        ElapsedSeconds = result.Elapsed.TotalSeconds,
        StopReason = result.StopReason,
        Solved = result.Solved,
        Answer = RunResults.ClipAnswer(result.Answer),
    };

    /// <summary>The final record of a search that ended by itself: completed, or failed when a provider failed.</summary>
    public RunRecord Finished(SearchResult result) => result.StopReason == Engine.Search.StopReason.ProviderFailed
        ? WithResult(result) with { State = RunState.Failed, Error = result.Error ?? "A thought provider failed." }
        : WithResult(result) with { State = RunState.Completed };

    public RunRecord WithProgress(SearchProgress progress) => this with
    {
        NodesExpanded = progress.NodesExpanded,
        NodeCount = progress.NodeCount,
        DepthReached = progress.DepthReached,
        BestScore = progress.BestScore,
        ElapsedSeconds = progress.Elapsed.TotalSeconds,
    };
}
