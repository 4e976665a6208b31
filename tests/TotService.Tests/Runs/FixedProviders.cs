using TotService.Engine.Providers;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Tests.Runs;

/// <summary>Scores every thought 0.5, so a run's shape depends only on its generator.</summary>
internal sealed class HalfEvaluator : IStateEvaluator
{
    public Task<StateEvaluation> EvaluateAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, CancellationToken cancellationToken) =>
        Task.FromResult(new StateEvaluation(0.5));
}

/// <summary>Answers with the best path's last thought.</summary>
internal sealed class LastThoughtFinalizer : IAnswerFinalizer
{
    public Task<string> FinalizeAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> bestPath, CancellationToken cancellationToken) =>
        Task.FromResult(bestPath.Count > 0 ? bestPath[^1].Thought : "");
}
