using TotService.Engine.Search;
using TotService.Engine.Search.Frontiers;
using TotService.Engine.Sessions;
using TotService.Engine.Tree;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

public sealed class MctsStrategyTests
{
    private static SearchSettings Mcts(double c) => new() { Strategy = SearchStrategy.Mcts, ExplorationConstant = c, MaxDepth = 5 };

    [Fact]
    public async Task Greedy_selection_follows_the_best_mean_value_not_the_best_single_score()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", ("A", 0.5), ("B", 0.9), ("C", 0.7))
            .Add("B", ("B1", 0.6), ("B2", 0.0));

        await fixture.Engine.RunAsync(new ThoughtProblem("t"), Mcts(0), script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken);

        // B's mean is (0.9 + 0.6) / 2 = 0.75 with its best child's value backpropagated, above C's 0.7, so the search
        // goes deeper into B; best-first would take C (0.7) over B1 (0.6).
        Assert.Equal(["root", "B", "B1"], script.Expanded.Take(3));
    }

    [Theory]
    [InlineData(0.0, "A1")]
    [InlineData(2.0, "B")]
    public async Task The_exploration_constant_trades_mean_value_for_rarely_visited_branches(double c, string third)
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", ("A", 0.6), ("B", 0.5))
            .Add("A", ("A1", 0.6), ("A2", 0.6));

        await fixture.Engine.RunAsync(new ThoughtProblem("t"), Mcts(c), script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken);

        // c = 2: B scores 0.5 + 2 sqrt(ln 3 / 1) = 2.60 against A's 0.6 + 2 sqrt(ln 3 / 2) = 2.08.
        Assert.Equal(["root", "A", third], script.Expanded.Take(3));
    }

    [Fact]
    public void Backpropagation_sends_each_expansions_best_child_value_to_every_ancestor()
    {
        var tree = new ThoughtTree("t", null, "root");
        var a = tree.SetScore(tree.AddChild(0, "A", "A", null, false).Id, 0.4, null);
        var b = tree.SetScore(tree.AddChild(0, "B", "B", null, false).Id, 0.8, null);
        var a1 = tree.SetScore(tree.AddChild(a.Id, "A1", "A1", null, false).Id, 1.0, null);
        tree.SetScore(tree.AddChild(a.Id, "A2", "A2", null, true).Id, 0.1, null);
        tree.SetStatus(a.Id, NodeStatus.Expanded);
        tree.SetStatus(0, NodeStatus.Expanded);
        var frontier = new MctsFrontier(tree, Mcts(1));
        frontier.Add(tree.Nodes.Select(n => n.Id));

        Assert.True(frontier.TryTakeNext(out var next));

        // Two expansions: the root's (best child B, 0.8) and A's (best child A1, 1.0).
        Assert.Equal(2, frontier.Visits(0));
        Assert.Equal(1, frontier.Visits(a.Id));
        Assert.Equal(0, frontier.Visits(b.Id));
        Assert.Equal(0, frontier.Visits(a1.Id));
        Assert.Equal((0.4 + 1.0) / 2, frontier.MeanValue(a.Id), 12);
        Assert.Equal(0.8, frontier.MeanValue(b.Id), 12);
        Assert.Equal(0.7 + Math.Sqrt(Math.Log(3) / 2), frontier.Uct(0, a.Id), 12);
        Assert.Equal(0.8 + Math.Sqrt(Math.Log(3) / 1), frontier.Uct(0, b.Id), 12);
        Assert.Equal(b.Id, next);
    }

    [Fact]
    public async Task The_iteration_budget_stops_the_search_with_its_own_reason()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree().Add("root", ("A", 0.5), ("B", 0.6)).Add("A", ("A1", 0.5)).Add("B", ("B1", 0.5));

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), Mcts(1) with { MaxIterations = 2 }, script.AsProviders(),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(StopReason.MaxIterations, result.StopReason);
        Assert.Equal(2, result.NodesExpanded);
    }

    [Fact]
    public async Task The_node_and_time_budgets_stop_mcts_as_they_stop_the_other_strategies()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree().Add("root", ("A", 0.5), ("B", 0.6)).Add("A", ("A1", 0.5), ("A2", 0.5)).Add("B", ("B1", 0.5));

        var bounded = await fixture.Engine.RunAsync(new ThoughtProblem("t"), Mcts(1) with { MaxNodes = 3 }, script.AsProviders(),
            cancellationToken: TestContext.Current.CancellationToken);
        script.BeforePropose = (_, _) =>
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(40));
            return Task.CompletedTask;
        };
        var timed = await fixture.Engine.RunAsync(new ThoughtProblem("t"), Mcts(1) with { TimeBudget = TimeSpan.FromSeconds(60) }, script.AsProviders(),
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(StopReason.MaxNodes, bounded.StopReason);
        Assert.Equal(3, bounded.NodeCount);
        Assert.Equal(StopReason.TimeBudget, timed.StopReason);
        Assert.Equal(2, timed.NodesExpanded);
    }

    [Fact]
    public async Task A_final_answer_at_the_threshold_stops_the_search_and_exhausted_branches_are_never_selected()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", ("A", 0.9), ("B", 0.2))
            .Add("B", new ScriptedChild("answer", 1.0, IsFinal: true));

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), Mcts(0), script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken);

        // A is a dead end (no children): MCTS never selects it again and reaches B although A's mean (0.45) is higher.
        Assert.Equal(["root", "A", "B"], script.Expanded);
        Assert.Equal(StopReason.SolutionFound, result.StopReason);
        Assert.True(result.Solved);
    }

    [Fact]
    public void A_client_driven_tree_gets_the_same_choices_from_its_snapshot()
    {
        var session = ThoughtTreeSession.Create(new ThoughtProblem("t"), Mcts(0));
        var first = session.SelectNext();
        var children = session.AddThoughts(0, ["A", "B", "C"]);
        session.Score(children[0].Id, 0.5);
        session.Score(children[1].Id, 0.9);
        session.Score(children[2].Id, 0.7);
        Assert.Equal(children[1].Id, session.SelectNext().Node!.Id);
        var grandchildren = session.AddThoughts(children[1].Id, ["B1", "B2"]);
        session.Score(grandchildren[0].Id, 0.3);
        session.Score(grandchildren[1].Id, 0.0);

        var restored = ThoughtTreeSession.Restore(session.ToState());

        Assert.Equal(0, first.Node!.Id);
        Assert.Equal(children[2].Id, restored.SelectNext().Node!.Id);
    }
}
