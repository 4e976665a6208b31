using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

public sealed class BestFirstStrategyTests
{
    [Fact]
    public async Task Expands_in_score_order_across_levels()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", new ScriptedChild("A", 0.5), new ScriptedChild("B", 0.9), new ScriptedChild("C", 0.7))
            .Add("B", new ScriptedChild("D", 0.6), new ScriptedChild("E", 0.95));
        var settings = new SearchSettings { Strategy = SearchStrategy.BestFirst, MaxDepth = 5, MaxFrontier = 100 };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["root", "B", "E", "C", "D", "A"], script.Expanded);
        Assert.Equal(StopReason.FrontierExhausted, result.StopReason);
        Assert.DoesNotContain(result.Tree.Nodes, n => n.Status == NodeStatus.Pruned);
    }

    [Fact]
    public async Task Bounded_frontier_evicts_the_worst_nodes()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", new ScriptedChild("A", 0.5), new ScriptedChild("B", 0.9), new ScriptedChild("C", 0.7))
            .Add("B", new ScriptedChild("D", 0.6), new ScriptedChild("E", 0.95));
        var settings = new SearchSettings { Strategy = SearchStrategy.BestFirst, MaxDepth = 5, MaxFrontier = 2 };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["root", "B", "E", "C"], script.Expanded);
        Assert.Equal(["A", "D"], result.Tree.Nodes.Where(n => n.Status == NodeStatus.Pruned).Select(n => n.Thought).Order(StringComparer.Ordinal));
    }
}
