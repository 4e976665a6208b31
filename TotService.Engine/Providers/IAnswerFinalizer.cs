using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Providers;

/// <summary>Turns the best path into the answer a user reads.</summary>
public interface IAnswerFinalizer
{
    /// <summary>
    /// Must return promptly when <paramref name="cancellationToken"/> is already cancelled
    /// (after a cancellation or an exhausted time budget) with a best-effort answer.
    /// </summary>
    Task<string> FinalizeAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> bestPath, CancellationToken cancellationToken);
}
