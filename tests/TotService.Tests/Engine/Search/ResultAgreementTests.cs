using TotService.Engine.Providers;
using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Tests.Engine.Search;

/// <summary>
/// Solved, answer, stop reason and best path must agree. The engine checks every result it builds (so every run this
/// suite makes is checked); these pin what the check calls a contradiction.
/// </summary>
public sealed class ResultAgreementTests
{
    [Fact]
    public void A_solution_reported_as_not_solved_is_a_contradiction()
    {
        // The shape of the reported fault: a verified answer on a best path that ends at a solution, "not solved".
        var result = Result(StopReason.FrontierExhausted, solved: false, leaf: NodeStatus.Solution);

        Assert.Contains(result.Disagreements(), d => d.Contains("does not end", StringComparison.Ordinal) || d.Contains("ends at a solution", StringComparison.Ordinal));
        Assert.Contains(result.Disagreements(), d => d.Contains("the best path ends at a solution", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(StopReason.SolutionFound, true, NodeStatus.Solution, true)]
    [InlineData(StopReason.MaxDepth, false, NodeStatus.Open, true)]
    [InlineData(StopReason.SolutionFound, false, NodeStatus.Open, false)]
    [InlineData(StopReason.MaxDepth, true, NodeStatus.Solution, false)]
    [InlineData(StopReason.SolutionFound, true, NodeStatus.Open, false)]
    [InlineData(StopReason.Cancelled, false, NodeStatus.Solution, false)]
    public void The_four_fields_agree_only_in_consistent_combinations(StopReason reason, bool solved, NodeStatus leaf, bool consistent) =>
        Assert.Equal(consistent, Result(reason, solved, leaf).Disagreements().Count == 0);

    [Fact]
    public void An_answer_needs_a_best_path_and_a_best_path_an_answer()
    {
        var withoutAnswer = Result(StopReason.MaxDepth, solved: false, leaf: NodeStatus.Open) with { Answer = null };
        var withoutPath = Result(StopReason.FrontierExhausted, solved: false, leaf: NodeStatus.Open) with { BestPath = [] };

        Assert.Contains("there is a best path but no answer", withoutAnswer.Disagreements());
        Assert.Contains("there is an answer but no best path", withoutPath.Disagreements());
    }

    private static SearchResult Result(StopReason reason, bool solved, NodeStatus leaf)
    {
        var tree = new ThoughtTree("t", null, "root");
        var node = tree.AddChild(0, "step", "s", null, isFinal: true);
        tree.SetScore(node.Id, 1, null);
        tree.SetStatus(node.Id, leaf);
        return new SearchResult
        {
            StopReason = reason,
            Solved = solved,
            Answer = "answer",
            BestPath = tree.PathTo(node.Id),
            NodesExpanded = 1,
            NodeCount = 1,
            DepthReached = 1,
            Elapsed = TimeSpan.Zero,
            Usage = new ProviderUsage().ToSnapshot(),
            Tree = tree.ToSnapshot(),
        };
    }
}
