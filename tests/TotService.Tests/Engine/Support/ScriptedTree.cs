using TotService.Engine.Providers;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Tests.Engine.Support;

/// <summary>
/// A hand-built tree of thoughts: each label maps to its children and each child carries its score.
/// Acts as generator, evaluator and finalizer, and records the order in which labels were expanded.
/// </summary>
internal sealed class ScriptedTree : IThoughtGenerator, IStateEvaluator, IAnswerFinalizer
{
    public const string RootLabel = "root";

    private readonly Dictionary<string, List<ScriptedChild>> children = [];
    private readonly Dictionary<string, ScriptedChild> byLabel = [];

    public List<string> Expanded { get; } = [];

    /// <summary>Runs before every proposal (e.g. to advance a fake clock or cancel).</summary>
    public Func<string, CancellationToken, Task>? BeforePropose { get; set; }

    public ScriptedTree Add(string parent, params ScriptedChild[] kids)
    {
        children[parent] = [.. kids];
        foreach (var kid in kids)
        {
            byLabel[kid.Label] = kid;
        }

        return this;
    }

    public ThoughtProviders AsProviders() => new("scripted", this, this, this);

    public string InitialState(ThoughtProblem problem) => RootLabel;

    public async Task<IReadOnlyList<ThoughtCandidate>> ProposeAsync(
        ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, int count, CancellationToken cancellationToken)
    {
        var label = path[^1].State;
        Expanded.Add(label);
        if (BeforePropose is not null)
        {
            await BeforePropose(label, cancellationToken);
        }

        return children.TryGetValue(label, out var kids)
            ? kids.Select(k => new ThoughtCandidate(k.Label, k.Label, k.StateKey ?? k.Label, k.IsFinal)).ToList()
            : [];
    }

    public Task<StateEvaluation> EvaluateAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> path, CancellationToken cancellationToken) =>
        Task.FromResult(new StateEvaluation(byLabel[path[^1].State].Score));

    public Task<string> FinalizeAsync(ThoughtProblem problem, IReadOnlyList<ThoughtNode> bestPath, CancellationToken cancellationToken) =>
        Task.FromResult(string.Join(" > ", bestPath.Skip(1).Select(n => n.Thought)));
}
