using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

public sealed class StopReasonTests
{
    private static CancellationToken TestToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Max_nodes_truncates_and_stops()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", ("A", 0.9), ("B", 0.8), ("C", 0.7))
            .Add("A", ("A1", 0.9), ("A2", 0.8), ("A3", 0.7));
        var settings = new SearchSettings { MaxNodes = 5, MaxDepth = 5 };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestToken);

        Assert.Equal(StopReason.MaxNodes, result.StopReason);
        Assert.Equal(5, result.NodeCount);
        Assert.Equal(["root", "A"], script.Expanded);
    }

    [Fact]
    public async Task Max_depth_when_only_leaves_at_the_limit_remain()
    {
        using var fixture = new EngineFixture();
        var script = Chain(10);

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), new SearchSettings { MaxDepth = 3 }, script.AsProviders(), cancellationToken: TestToken);

        Assert.Equal(StopReason.MaxDepth, result.StopReason);
        Assert.Equal(3, result.DepthReached);
        Assert.Equal(3, result.NodesExpanded);
    }

    [Fact]
    public async Task Time_budget_is_measured_on_the_injected_clock()
    {
        using var fixture = new EngineFixture();
        var script = Chain(10);
        script.BeforePropose = (_, _) =>
        {
            fixture.Time.Advance(TimeSpan.FromSeconds(10));
            return Task.CompletedTask;
        };
        var settings = new SearchSettings { MaxDepth = 10, TimeBudget = TimeSpan.FromSeconds(25) };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestToken);

        Assert.Equal(StopReason.TimeBudget, result.StopReason);
        Assert.Equal(3, result.NodesExpanded);
        Assert.Equal(TimeSpan.FromSeconds(30), result.Elapsed);
        Assert.NotNull(result.Answer);
    }

    [Fact]
    public async Task Time_budget_cancels_a_provider_call_in_flight()
    {
        using var fixture = new EngineFixture();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var script = Chain(10);
        script.BeforePropose = async (label, token) =>
        {
            if (label == "n1")
            {
                entered.SetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }
        };
        var settings = new SearchSettings { MaxDepth = 10, TimeBudget = TimeSpan.FromSeconds(5) };

        var run = fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestToken);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10), TestToken);
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        var result = await run.WaitAsync(TimeSpan.FromSeconds(10), TestToken);

        Assert.Equal(StopReason.TimeBudget, result.StopReason);
        Assert.Equal("n1", result.BestPath[^1].Thought);
    }

    [Fact]
    public async Task Score_threshold_on_a_final_answer_is_a_solution()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree()
            .Add("root", ("A", 0.95), new ScriptedChild("answer", 0.9, IsFinal: true), ("B", 0.2));
        var settings = new SearchSettings { ScoreThreshold = 0.85 };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), settings, script.AsProviders(), cancellationToken: TestToken);

        Assert.Equal(StopReason.SolutionFound, result.StopReason);
        Assert.True(result.Solved);
        Assert.Equal("answer", result.Answer);
        Assert.Equal(NodeStatus.Solution, result.BestPath[^1].Status);
    }

    [Fact]
    public async Task Final_answer_below_the_threshold_is_not_a_solution_and_not_expanded()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree().Add("root", new ScriptedChild("weak answer", 0.5, IsFinal: true));

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), new SearchSettings(), script.AsProviders(), cancellationToken: TestToken);

        Assert.Equal(StopReason.FrontierExhausted, result.StopReason);
        Assert.False(result.Solved);
        Assert.Equal(["root"], script.Expanded);
    }

    [Fact]
    public async Task Empty_frontier_before_the_depth_limit()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree().Add("root", ("A", 0.5));

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), new SearchSettings { MaxDepth = 5 }, script.AsProviders(), cancellationToken: TestToken);

        Assert.Equal(StopReason.FrontierExhausted, result.StopReason);
        Assert.Equal(NodeStatus.DeadEnd, result.Tree.Nodes[1].Status);
    }

    [Fact]
    public async Task Cancellation_stops_a_run_promptly_even_mid_call()
    {
        using var fixture = new EngineFixture();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestToken);
        var script = Chain(10);
        script.BeforePropose = async (label, token) =>
        {
            if (label == "n2")
            {
                await cancellation.CancelAsync();
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }
        };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), new SearchSettings { MaxDepth = 10 }, script.AsProviders(), cancellationToken: cancellation.Token)
            .WaitAsync(TimeSpan.FromSeconds(10), TestToken);

        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Equal(2, result.NodesExpanded);
        Assert.Equal("n2", result.BestPath[^1].Thought);
    }

    [Fact]
    public async Task Cancelled_before_start_expands_nothing()
    {
        using var fixture = new EngineFixture();
        var script = Chain(3);

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), new SearchSettings(), script.AsProviders(), cancellationToken: new CancellationToken(canceled: true));

        Assert.Equal(StopReason.Cancelled, result.StopReason);
        Assert.Empty(script.Expanded);
        Assert.Null(result.Answer);
    }

    [Fact]
    public async Task Provider_failure_is_reported_not_thrown()
    {
        using var fixture = new EngineFixture();
        var script = Chain(3);
        script.BeforePropose = (label, _) => label == "n1" ? throw new InvalidOperationException("model endpoint unreachable") : Task.CompletedTask;

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), new SearchSettings(), script.AsProviders(), cancellationToken: TestToken);

        Assert.Equal(StopReason.ProviderFailed, result.StopReason);
        Assert.Equal("model endpoint unreachable", result.Error);
        Assert.Equal(1, result.NodeCount);
    }

    [Fact]
    public async Task Provider_timeout_of_its_own_is_a_failure_not_a_cancellation()
    {
        using var fixture = new EngineFixture();
        var script = Chain(3);
        script.BeforePropose = (label, _) => label == "n1" ? throw new TaskCanceledException("HTTP request timed out") : Task.CompletedTask;

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), new SearchSettings(), script.AsProviders(), cancellationToken: TestToken);

        Assert.Equal(StopReason.ProviderFailed, result.StopReason);
        Assert.Equal("HTTP request timed out", result.Error);
    }

    [Fact]
    public async Task Progress_is_reported_after_every_expansion()
    {
        using var fixture = new EngineFixture();
        var reports = new List<SearchProgress>();

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), new SearchSettings { MaxDepth = 3 }, Chain(5).AsProviders(),
            new SynchronousProgress(reports.Add), TestToken);

        Assert.Equal(result.NodesExpanded, reports.Count);
        Assert.Equal([1, 2, 3], reports.Select(r => r.DepthReached));
        Assert.All(reports, r => Assert.Equal(500, r.MaxNodes));
    }

    /// <summary>root → n1 → n2 → ... → n{length}, scores rising with depth.</summary>
    private static ScriptedTree Chain(int length)
    {
        var script = new ScriptedTree().Add("root", ("n1", 0.1));
        for (var i = 1; i < length; i++)
        {
            script.Add($"n{i}", ($"n{i + 1}", Math.Min(1, 0.1 + (i * 0.05))));
        }

        return script;
    }

    private sealed class SynchronousProgress(Action<SearchProgress> report) : IProgress<SearchProgress>
    {
        public void Report(SearchProgress value) => report(value);
    }
}
