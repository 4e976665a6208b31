using TotService.Engine.Providers;
using TotService.Engine.Tree;

namespace TotService.Engine.Search;

/// <summary>The outcome of one search: the answer, how it was found, and the whole tree for tracing.</summary>
public sealed record SearchResult
{
    public required StopReason StopReason { get; init; }

    /// <summary>True when the best node is a solution (a final answer at or above the score threshold).</summary>
    public required bool Solved { get; init; }

    /// <summary>The finalized answer built from the best path; null when nothing was scored.</summary>
    public string? Answer { get; init; }

    /// <summary>Root first; empty when nothing was scored.</summary>
    public required IReadOnlyList<ThoughtNode> BestPath { get; init; }

    public double? BestScore { get; init; }

    public required int NodesExpanded { get; init; }

    /// <summary>Nodes in the tree, root excluded.</summary>
    public required int NodeCount { get; init; }

    public required int DepthReached { get; init; }

    public required TimeSpan Elapsed { get; init; }

    public required ProviderUsageSnapshot Usage { get; init; }

    /// <summary>Set when <see cref="StopReason"/> is <see cref="StopReason.ProviderFailed"/>.</summary>
    public string? Error { get; init; }

    public required ThoughtTreeSnapshot Tree { get; init; }
}
