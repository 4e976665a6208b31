using TotService.Engine.Diagnostics;
using TotService.Engine.Search;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

public sealed class EngineMetricsTests
{
    [Fact]
    public async Task A_run_records_outcome_duration_expansions_and_leaves_no_active_run()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree().Add("root", ("A", 0.5)).Add("A", ("B", 0.6));
        script.BeforePropose = (_, _) =>
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(2));
            return Task.CompletedTask;
        };

        await fixture.Engine.RunAsync(new ThoughtProblem("t"), new SearchSettings { Strategy = SearchStrategy.BestFirst, MaxDepth = 2 },
            script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken);

        var run = Assert.Single(fixture.Recorder.Measurements, m => m.Instrument == "tot.engine.runs");
        Assert.Equal("max_depth", run.Tags["tot.outcome"]);
        Assert.Equal("best_first", run.Tags["tot.strategy"]);
        Assert.Equal("scripted", run.Tags["tot.provider"]);
        var duration = Assert.Single(fixture.Recorder.Measurements, m => m.Instrument == "tot.engine.run.duration");
        Assert.Equal("s", duration.Unit);
        Assert.Equal(4, duration.Value);
        Assert.Equal(2, fixture.Recorder.Sum("tot.engine.nodes.expanded"));
        Assert.Equal(0, fixture.Recorder.Sum("tot.engine.runs.active"));
        Assert.Equal(2, fixture.Recorder.Measurements.Count(m => m.Instrument == "tot.engine.runs.active"));
    }

    [Fact]
    public void Tree_operations_are_counted_by_operation_and_strategy()
    {
        using var fixture = new EngineFixture();

        fixture.Metrics.TreeOperation(TreeOperationNames.AddThoughts, SearchStrategy.DepthFirst);

        var operation = Assert.Single(fixture.Recorder.Measurements, m => m.Instrument == "tot.engine.tree.operations");
        Assert.Equal("add_thoughts", operation.Tags["tot.operation"]);
        Assert.Equal("depth_first", operation.Tags["tot.strategy"]);
    }
}
