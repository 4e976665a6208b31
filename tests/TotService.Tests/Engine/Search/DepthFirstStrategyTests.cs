using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

public sealed class DepthFirstStrategyTests
{
    [Fact]
    public async Task Backtracks_from_dead_ends_and_prunes_below_the_threshold()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", new ScriptedChild("A", 0.8), new ScriptedChild("B", 0.6), new ScriptedChild("C", 0.3))
            .Add("A", new ScriptedChild("A1", 0.7), new ScriptedChild("A2", 0.4))
            .Add("B", new ScriptedChild("B1", 0.9))
            .Add("B1", new ScriptedChild("B1a", 0.95));
        var settings = new SearchSettings { Strategy = SearchStrategy.DepthFirst, MaxDepth = 3, PruneThreshold = 0.5 };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["root", "A", "A1", "B", "B1"], script.Expanded);
        Assert.Equal(["A2", "C"], result.Tree.Nodes.Where(n => n.Status == NodeStatus.Pruned).Select(n => n.Thought).Order(StringComparer.Ordinal));
        Assert.Equal(NodeStatus.DeadEnd, result.Tree.Nodes.Single(n => n.Thought == "A1").Status);
        Assert.Equal(StopReason.MaxDepth, result.StopReason);
        Assert.Equal(["t", "B", "B1", "B1a"], result.BestPath.Select(n => n.Thought));
    }
}
