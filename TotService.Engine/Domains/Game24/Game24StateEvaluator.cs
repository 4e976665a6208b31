using TotService.Engine.Providers;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Domains.Game24;

/// <summary>Values a state by exact reachability of 24: a finished 24 is 1, a state that can still make it 0.9, else 0.</summary>
public sealed class Game24StateEvaluator(Game24Solver solver) : IStateEvaluator
{
    public const double SolvedScore = 1.0;
    public const double ReachableScore = 0.9;
    public const double UnreachableScore = 0.0;

    public Task<StateEvaluation> EvaluateAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var state = Game24State.Parse(path[^1].State);
        var values = state.Terms.Select(t => t.Value).ToList();
        var evaluation = solver.CanReach24(values)
            ? new StateEvaluation(values.Count == 1 ? SolvedScore : ReachableScore, $"24 is reachable from {state.ValuesText}")
            : new StateEvaluation(UnreachableScore, $"24 cannot be reached from {state.ValuesText}");
        return Task.FromResult(evaluation);
    }
}
