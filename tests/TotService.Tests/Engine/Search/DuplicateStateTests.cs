using TotService.Engine.Domains.Game24;
using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

/// <summary>
/// Nodes with the same state key have the same future, so only one is searched: the one worth more, the older on a tie.
/// A duplicate worth more is never dropped while the one worth less waits to be expanded.
/// </summary>
public sealed class DuplicateStateTests
{
    private static CancellationToken TestToken => TestContext.Current.CancellationToken;

    // A (0.4) waits while B is expanded; B's child C reaches the same state worth 0.8.
    private static ScriptedTree LaterDuplicateWorthMore() => new ScriptedTree()
        .Add("root", new ScriptedChild("A", 0.4, StateKey: "s"), new ScriptedChild("B", 0.9))
        .Add("B", new ScriptedChild("C", 0.8, StateKey: "s"), new ScriptedChild("D", 0.35))
        .Add("A", new ScriptedChild("A1", 0.5))
        .Add("C", new ScriptedChild("C1", 0.5));

    [Theory]
    [InlineData(SearchStrategy.BestFirst)]
    [InlineData(SearchStrategy.DepthFirst)]
    [InlineData(SearchStrategy.Mcts)]
    public async Task A_later_duplicate_worth_more_replaces_the_waiting_one(SearchStrategy strategy)
    {
        using var fixture = new EngineFixture();
        var script = LaterDuplicateWorthMore();

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), Settings(strategy), script.AsProviders(), cancellationToken: TestToken);

        Assert.Contains("C", script.Expanded);
        Assert.DoesNotContain("A", script.Expanded);
        Assert.Equal(NodeStatus.Pruned, result.Tree.Nodes.Single(n => n.Thought == "A").Status);
        Assert.Empty(result.Disagreements());
    }

    [Theory]
    [InlineData(SearchStrategy.BestFirst)]
    [InlineData(SearchStrategy.DepthFirst)]
    [InlineData(SearchStrategy.Mcts)]
    public async Task On_equal_scores_the_older_duplicate_keeps_the_state(SearchStrategy strategy)
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", new ScriptedChild("A", 0.8, StateKey: "s"), new ScriptedChild("B", 0.9))
            .Add("B", new ScriptedChild("C", 0.8, StateKey: "s"));

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), Settings(strategy), script.AsProviders(), cancellationToken: TestToken);

        Assert.Contains("A", script.Expanded);
        Assert.DoesNotContain("C", script.Expanded);
        Assert.Equal(NodeStatus.Pruned, result.Tree.Nodes.Single(n => n.Thought == "C").Status);
    }

    [Fact]
    public async Task The_beam_keeps_the_duplicate_worth_more_and_breaks_ties_by_age()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", new ScriptedChild("A", 0.4, StateKey: "s"), new ScriptedChild("B", 0.8, StateKey: "s"),
                new ScriptedChild("C", 0.6, StateKey: "u"), new ScriptedChild("D", 0.6, StateKey: "v"));
        var settings = new SearchSettings { Strategy = SearchStrategy.Beam, Breadth = 2, MaxDepth = 3 };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestToken);

        Assert.Equal(["root", "B", "C"], script.Expanded);
        Assert.Equal(["A", "D"], result.Tree.Nodes.Where(n => n.Status == NodeStatus.Pruned).Select(n => n.Thought).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Two_ways_to_24_from_one_state_are_two_answers()
    {
        var generator = new Game24ThoughtGenerator();
        var problem = new ThoughtProblem("0 24");
        var root = new ThoughtTree(problem.Task, null, generator.InitialState(problem)).Root;

        var candidates = await generator.ProposeAsync(problem, [root], 1, TestToken);

        var goals = candidates.Where(c => Game24State.Parse(c.State).IsGoal).ToList();
        Assert.Equal(["24 = (0 + 24)", "24 = (24 - 0)"], goals.Select(g => g.StateKey).Order(StringComparer.Ordinal));
        Assert.All(goals, g => Assert.True(g.IsFinal));
    }

    private static SearchSettings Settings(SearchStrategy strategy) =>
        new() { Strategy = strategy, MaxDepth = 5, PruneThreshold = 0.3, MaxIterations = 20 };
}
