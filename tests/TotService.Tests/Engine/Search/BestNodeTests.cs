using TotService.Engine.Search;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

public sealed class BestNodeTests
{
    [Theory]
    [InlineData(SearchStrategy.Beam)]
    [InlineData(SearchStrategy.BestFirst)]
    [InlineData(SearchStrategy.DepthFirst)]
    public async Task A_leaf_at_max_depth_can_be_the_best_node(SearchStrategy strategy)
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", new ScriptedChild("A", 0.6), new ScriptedChild("B", 0.5))
            .Add("A", new ScriptedChild("leaf", 0.99))
            .Add("B", new ScriptedChild("other", 0.4));
        var settings = new SearchSettings { Strategy = strategy, MaxDepth = 2, PruneThreshold = 0.1 };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(StopReason.MaxDepth, result.StopReason);
        Assert.Equal(2, result.BestPath[^1].Depth);
        Assert.Equal("leaf", result.BestPath[^1].Thought);
        Assert.Equal(0.99, result.BestScore);
        Assert.Equal("A > leaf", result.Answer);
        Assert.DoesNotContain("leaf", script.Expanded);
    }
}
