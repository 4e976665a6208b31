using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Providers;

/// <summary>Proposes candidate next steps for a state.</summary>
public interface IThoughtGenerator
{
    /// <summary>The root node's state for a task (e.g. the puzzle's numbers).</summary>
    string InitialState(ThoughtProblem problem);

    /// <summary>
    /// Candidates following the last node of <paramref name="path"/> (root first).
    /// <paramref name="count"/> is a hint; a deterministic domain may enumerate every legal step.
    /// An empty list means the state is a dead end.
    /// </summary>
    Task<IReadOnlyList<ThoughtCandidate>> ProposeAsync(
        ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, int count, CancellationToken cancellationToken);
}
