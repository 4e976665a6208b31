using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Providers;

/// <summary>Values the state at the end of a path.</summary>
public interface IStateEvaluator
{
    Task<StateEvaluation> EvaluateAsync(
        ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, CancellationToken cancellationToken);
}
