using System.Globalization;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Search;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Search;

/// <summary>
/// Every strategy on the exact Game of 24 domain over the whole data file: MCTS must solve every solvable puzzle, and
/// the comparison table in docs/SEARCH-STRATEGIES.md and in the benchmark report (docs/BENCHMARKS.md, written by
/// <c>bash bench/run.sh</c>) must be what the engine does now (the search is deterministic, so the rows are exact).
/// </summary>
public sealed class StrategyComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Mcts_solves_every_solvable_puzzle_of_the_file_and_the_documented_comparison_is_what_the_engine_does()
    {
        var puzzles = Game24Data.Load();
        var solvable = puzzles.Select(p => IndependentArithmetic.IsSolvable(p.Numbers.Select(n => (double)n).ToList())).ToList();
        using var fixture = new EngineFixture();
        var providers = Game24Providers.Create(new Game24Solver());
        (SearchStrategy Strategy, double Exploration, string Name)[] variants =
        [
            (SearchStrategy.Beam, 1, "beam (b = 5)"), (SearchStrategy.BestFirst, 1, "best-first"), (SearchStrategy.DepthFirst, 1, "dfs"),
            (SearchStrategy.Mcts, 1, "mcts (c = 1, default)"), (SearchStrategy.Mcts, 0, "mcts (c = 0)"), (SearchStrategy.Mcts, 2, "mcts (c = 2)"),
        ];
        var rows = new List<string>();
        foreach (var (strategy, exploration, name) in variants)
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
            Assert.All(solved, r => Assert.True(IndependentArithmetic.IsTwentyFour(IndependentArithmetic.Evaluate(r.Answer!.Split('=')[0]).Value), r.Answer));
            if (strategy == SearchStrategy.Mcts)
            {
                Assert.All(results.Where((_, i) => solvable[i]), r => Assert.True(r.Solved, $"{r.Tree.Task}: {r.StopReason}"));
            }

            rows.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {solved.Count} | {solvable.Count(s => s)} | {solved.Average(r => r.NodeCount):0.0} | {solved.Average(r => r.NodesExpanded):0.0} | {results.Max(r => r.NodeCount)} |"));
            output.WriteLine(rows[^1]);
        }

        foreach (var doc in new[] { "docs/SEARCH-STRATEGIES.md", "docs/BENCHMARKS.md" })
        {
            var text = await File.ReadAllTextAsync(Path.Combine(Game24Data.RepositoryRoot, doc), TestContext.Current.CancellationToken);
            Assert.All(rows, row => Assert.True(text.Contains(row, StringComparison.Ordinal), $"{doc} lacks the row {row}"));
        }
    }
}
