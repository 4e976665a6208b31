using System.Diagnostics;
using TotService.Engine.Diagnostics;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Search;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Domains;

/// <summary>The engine against the shared Game of 24 file, every answer checked by independent code.</summary>
public sealed class Game24BenchmarkTests(ITestOutputHelper output)
{
    private static readonly SearchSettings BeamFive = new() { Strategy = SearchStrategy.Beam, Breadth = 5, MaxDepth = 3, MaxNodes = 2000 };

    [Fact]
    public async Task Beam_of_five_solves_every_puzzle_ranked_901_to_1000()
    {
        var puzzles = Game24Data.Load().Where(p => p.Rank is >= 901 and <= 1000).ToList();
        Assert.Equal(100, puzzles.Count);

        var outcomes = await SolveAllAsync(puzzles);

        Assert.All(outcomes, o => Game24Assertions.VerifiedSolution(o.Numbers, o.Result));
    }

    [Fact]
    public async Task Beam_of_five_solves_every_solvable_puzzle_of_the_file()
    {
        var puzzles = Game24Data.Load();
        var outcomes = await SolveAllAsync(puzzles);

        var solvable = 0;
        foreach (var (numbers, result) in outcomes)
        {
            if (IndependentArithmetic.IsSolvable(numbers.Select(n => (double)n).ToList()))
            {
                solvable++;
                Game24Assertions.VerifiedSolution(numbers, result);
            }
            else
            {
                Assert.False(result.Solved, $"{string.Join(' ', numbers)} has no solution, yet the engine claims one: {result.Answer}");
            }
        }

        output.WriteLine($"{puzzles.Count} puzzles in the file, {solvable} solvable (independent brute force), {outcomes.Count(o => o.Result.Solved)} solved by the engine.");
        Assert.True(solvable > 0);
    }

    private async Task<List<(int[] Numbers, SearchResult Result)>> SolveAllAsync(IReadOnlyList<(int Rank, int[] Numbers)> puzzles)
    {
        using var meterFactory = new TestMeterFactory();
        var engine = new ThoughtSearchEngine(TimeProvider.System, new EngineMetrics(meterFactory));
        var providers = Game24Providers.Create(new Game24Solver());
        var outcomes = new List<(int[], SearchResult)>();
        var clock = Stopwatch.StartNew();
        foreach (var (_, numbers) in puzzles)
        {
            var result = await engine.RunAsync(new ThoughtProblem(string.Join(' ', numbers)), BeamFive, providers, cancellationToken: TestContext.Current.CancellationToken);
            outcomes.Add((numbers, result));
        }

        clock.Stop();
        var results = outcomes.Select(o => o.Item2).ToList();
        output.WriteLine($"{puzzles.Count} puzzles in {clock.Elapsed.TotalSeconds:0.000} s = {puzzles.Count / clock.Elapsed.TotalSeconds:0.0} puzzles/s; " +
            $"nodes per puzzle: mean {results.Average(r => r.NodeCount):0.0}, max {results.Max(r => r.NodeCount)}; " +
            $"expansions per puzzle: mean {results.Average(r => r.NodesExpanded):0.0}; solved {results.Count(r => r.Solved)}.");
        return outcomes;
    }
}
