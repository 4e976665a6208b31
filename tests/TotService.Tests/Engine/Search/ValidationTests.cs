using TotService.Engine;
using TotService.Engine.Search;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

public sealed class ValidationTests
{
    public static TheoryData<SearchSettings, string> OutOfRange => new()
    {
        { new SearchSettings { MaxDepth = 0 }, "maxDepth must be between 1 and 10 (got 0)." },
        { new SearchSettings { MaxDepth = 11 }, "maxDepth must be between 1 and 10 (got 11)." },
        { new SearchSettings { Breadth = -1 }, "breadth must be between 1 and 10 (got -1)." },
        { new SearchSettings { Breadth = 11 }, "breadth must be between 1 and 10 (got 11)." },
        { new SearchSettings { CandidatesPerNode = 50 }, "candidatesPerNode must be between 1 and 10 (got 50)." },
        { new SearchSettings { MaxNodes = 2001 }, "maxNodes must be between 1 and 2000 (got 2001)." },
        { new SearchSettings { MaxFrontier = 0 }, "maxFrontier must be between 1 and 2000 (got 0)." },
        { new SearchSettings { TimeBudget = TimeSpan.FromSeconds(601) }, "timeBudgetSeconds must be greater than 0 and at most 600 (got 601)." },
        { new SearchSettings { TimeBudget = TimeSpan.Zero }, "timeBudgetSeconds must be greater than 0 and at most 600 (got 0)." },
        { new SearchSettings { ScoreThreshold = 1.5 }, "scoreThreshold must be between 0 and 1 (got 1.5)." },
        { new SearchSettings { PruneThreshold = double.NaN }, "pruneThreshold must be between 0 and 1 (got NaN)." },
        { new SearchSettings { Strategy = (SearchStrategy)9 }, "strategy must be one of: beam (alias bfs), best-first (alias best_first), dfs (alias depth-first), mcts (alias monte-carlo)." },
        { new SearchSettings { ExplorationConstant = -0.5 }, "explorationConstant must be between 0 and 10 (got -0.5)." },
        { new SearchSettings { ExplorationConstant = double.NaN }, "explorationConstant must be between 0 and 10 (got NaN)." },
        { new SearchSettings { MaxIterations = 2001 }, "maxIterations must be between 1 and 2000 (got 2001)." },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Out_of_range_settings_say_what_is_allowed(SearchSettings settings, string expected) =>
        Assert.Equal([expected], settings.Validate());

    [Fact]
    public void Defaults_and_the_limits_themselves_are_valid()
    {
        Assert.Empty(new SearchSettings().Validate());
        Assert.Empty(new SearchSettings
        {
            MaxDepth = EngineLimits.MaxDepth,
            Breadth = EngineLimits.MaxBreadth,
            MaxNodes = EngineLimits.MaxNodes,
            TimeBudget = TimeSpan.FromSeconds(EngineLimits.MaxTimeBudgetSeconds),
            ScoreThreshold = 0,
            PruneThreshold = 1,
            ExplorationConstant = EngineLimits.MaxExplorationConstant,
            MaxIterations = EngineLimits.MaxIterations,
        }.Validate());
    }

    [Theory]
    [InlineData("", "task must not be empty.")]
    [InlineData("   ", "task must not be empty.")]
    public void Empty_task_is_refused(string task, string expected) =>
        Assert.Equal([expected], new ThoughtProblem(task).Validate());

    [Fact]
    public void Oversized_texts_are_refused()
    {
        Assert.Equal(["task must be at most 10000 characters (got 10001)."], new ThoughtProblem(new string('x', 10_001)).Validate());
        Assert.Equal(["constraints must be at most 10000 characters (got 10001)."], new ThoughtProblem("t", new string('x', 10_001)).Validate());
        Assert.Empty(new ThoughtProblem(new string('x', 10_000)).Validate());
    }

    [Fact]
    public async Task Engine_refuses_invalid_requests_before_searching()
    {
        using var fixture = new EngineFixture();
        var script = new ScriptedTree();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Engine.RunAsync(
            new ThoughtProblem(""), new SearchSettings { Breadth = 0 }, script.AsProviders(), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("task must not be empty.", error.Message, StringComparison.Ordinal);
        Assert.Contains("breadth must be between 1 and 10 (got 0).", error.Message, StringComparison.Ordinal);
        Assert.Empty(script.Expanded);
    }

    [Theory]
    [InlineData("beam", SearchStrategy.Beam)]
    [InlineData("BFS", SearchStrategy.Beam)]
    [InlineData("best-first", SearchStrategy.BestFirst)]
    [InlineData(" dfs ", SearchStrategy.DepthFirst)]
    [InlineData("mcts", SearchStrategy.Mcts)]
    [InlineData("Monte-Carlo", SearchStrategy.Mcts)]
    public void Strategy_names_parse(string name, SearchStrategy expected)
    {
        Assert.True(SearchStrategyNames.TryParse(name, out var strategy));
        Assert.Equal(expected, strategy);
    }

    [Theory]
    [InlineData("monte")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_strategy_names_do_not_parse(string? name) =>
        Assert.False(SearchStrategyNames.TryParse(name, out _));
}
