using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

public sealed class BeamStrategyTests
{
    [Fact]
    public async Task Keeps_breadth_distinct_best_nodes_per_level()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", new ScriptedChild("A", 0.9), new ScriptedChild("A-again", 0.9, StateKey: "A"), new ScriptedChild("B", 0.8), new ScriptedChild("C", 0.7), new ScriptedChild("D", 0.1))
            .Add("A", new ScriptedChild("E", 0.5), new ScriptedChild("F", 0.4))
            .Add("B", new ScriptedChild("G", 0.95), new ScriptedChild("H", 0.3))
            .Add("G", new ScriptedChild("I", 0.2))
            .Add("E", new ScriptedChild("J", 0.3));
        var settings = new SearchSettings { Strategy = SearchStrategy.Beam, Breadth = 2, MaxDepth = 3 };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["root", "A", "B", "G", "E"], script.Expanded);
        Assert.Equal(["A-again", "C", "D", "F", "H"], Labels(result, NodeStatus.Pruned));
        Assert.Equal(StopReason.MaxDepth, result.StopReason);
        Assert.Equal("G", result.BestPath[^1].Thought);
    }

    [Fact]
    public async Task Duplicate_states_never_take_a_beam_slot()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", new ScriptedChild("x1", 0.9, StateKey: "x"), new ScriptedChild("x2", 0.9, StateKey: "x"), new ScriptedChild("x3", 0.8, StateKey: "x"), new ScriptedChild("y", 0.2));
        var settings = new SearchSettings { Strategy = SearchStrategy.Beam, Breadth = 2, MaxDepth = 3 };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["root", "x1", "y"], script.Expanded);
        Assert.Equal(["x2", "x3"], Labels(result, NodeStatus.Pruned));
    }

    private static IEnumerable<string> Labels(SearchResult result, NodeStatus status) =>
        result.Tree.Nodes.Where(n => n.Status == status).Select(n => n.Thought).Order(StringComparer.Ordinal);
}
