using TotService.Engine.Providers;
using TotService.Engine.Tree;

namespace TotService.Engine.Search;

/// <summary>
/// The outcome of one search: the answer, how it was found, and the whole tree for tracing. <see cref="Solved"/>,
/// <see cref="Answer"/>, <see cref="StopReason"/> and <see cref="BestPath"/> always agree (see <see cref="Disagreements"/>):
/// the engine refuses to return a result where they do not.
/// </summary>
public sealed record SearchResult
{
    public required StopReason StopReason { get; init; }

    /// <summary>
    /// True when the best node is a solution (a final answer at or above the score threshold; in Game of 24, a path
    /// that leaves only 24); then <see cref="StopReason"/> is <see cref="StopReason.SolutionFound"/>.
    /// </summary>
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

    /// <summary>
    /// Where <see cref="Solved"/>, <see cref="Answer"/>, <see cref="StopReason"/> and <see cref="BestPath"/> contradict
    /// each other; empty when they agree. They agree when: solved exactly when the best path ends at a solution, exactly
    /// when the search stopped because it found one; no solution in the tree is left off a best path that ends elsewhere;
    /// and an answer exactly when there is a best path.
    /// </summary>
    public IReadOnlyList<string> Disagreements()
    {
        var disagreements = new List<string>();
        var endsAtSolution = BestPath.Count > 0 && BestPath[^1].Status == NodeStatus.Solution;
        if (Solved != endsAtSolution)
        {
            disagreements.Add($"solved is {Solved}, yet the best path {(endsAtSolution ? "ends" : "does not end")} at a solution");
        }

        if (Solved != (StopReason == StopReason.SolutionFound))
        {
            disagreements.Add($"solved is {Solved}, yet the search stopped with {StopReason}");
        }

        if (!endsAtSolution && Tree.Nodes.Any(n => n.Status == NodeStatus.Solution))
        {
            disagreements.Add("the tree holds a solution the best path does not end at");
        }

        if ((Answer is null) != (BestPath.Count == 0))
        {
            disagreements.Add(Answer is null ? "there is a best path but no answer" : "there is an answer but no best path");
        }

        return disagreements;
    }
}
