using System.Globalization;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Search;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

/// <summary>Every strategy on the exact Game of 24 domain over the whole data file: MCTS must solve every solvable puzzle.</summary>
public sealed class StrategyComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Mcts_solves_every_solvable_puzzle_of_the_file_and_is_compared_with_the_other_strategies()
    {
        var puzzles = Game24Data.Load();
        var solvable = puzzles.Select(p => IndependentArithmetic.IsSolvable(p.Numbers.Select(n => (double)n).ToList())).ToList();
        using var fixture = new EngineFixture();
        var providers = Game24Providers.Create(new Game24Solver());
        output.WriteLine("| Strategy | Solved | Of solvable | Nodes per solution (mean) | Expansions per solution (mean) | Max nodes |");
        output.WriteLine("|---|---|---|---|---|---|");
        var variants = Enum.GetValues<SearchStrategy>().Select(s => (Strategy: s, Exploration: 1.0))
            .Concat([(SearchStrategy.Mcts, 0.0), (SearchStrategy.Mcts, 2.0)]);
        foreach (var (strategy, exploration) in variants)
        {
            var settings = new SearchSettings { Strategy = strategy, Breadth = 5, MaxDepth = 3, MaxNodes = 2000, ExplorationConstant = exploration };
            var results = new List<SearchResult>();
            foreach (var (_, numbers) in puzzles)
            {
                results.Add(await fixture.Engine.RunAsync(new ThoughtProblem(string.Join(' ', numbers)), settings, providers,
                    cancellationToken: TestContext.Current.CancellationToken));
            }

            var solved = results.Where(r => r.Solved).ToList();
            Assert.All(results.Where((_, i) => !solvable[i]), r => Assert.False(r.Solved, r.Answer));
            if (strategy == SearchStrategy.Mcts)
            {
                Assert.All(results.Where((_, i) => solvable[i]), r => Assert.True(r.Solved, $"{r.Tree.Task}: {r.StopReason}"));
                Assert.All(solved, r => Assert.True(IndependentArithmetic.IsTwentyFour(IndependentArithmetic.Evaluate(r.Answer!.Split('=')[0]).Value), r.Answer));
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {SearchStrategyNames.ToName(strategy)}{(strategy == SearchStrategy.Mcts ? $" (c = {exploration})" : "")} | {solved.Count} | {solvable.Count(s => s)} | {solved.Average(r => r.NodeCount):0.0} | {solved.Average(r => r.NodesExpanded):0.0} | {results.Max(r => r.NodeCount)} |"));
        }
    }
}
