using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Bench.Runner.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using TotService.Engine.Diagnostics;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Search;
using static Bench.Runner.Infrastructure.Report;

namespace Bench.Runner.Measurements;

/// <summary>
/// The Tree-of-Thoughts engine with the deterministic Game of 24 providers over the whole shared data set, against a
/// plain brute-force solver (every pair, every operation, recursively, in doubles) on the same puzzles, one thread each.
/// </summary>
public static class Game24Measurement
{
    /// <summary>The settings the engine's own data-set test uses (TotService.Tests Game24BenchmarkTests).</summary>
    private static readonly SearchSettings BeamFive = new() { Strategy = SearchStrategy.Beam, Breadth = 5, MaxDepth = 3, MaxNodes = 2000 };

    public static async Task RunAsync(BenchContext context)
    {
        var puzzles = Load();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var engine = new ThoughtSearchEngine(TimeProvider.System, new EngineMetrics(services.GetRequiredService<IMeterFactory>()));
        var providers = Game24Providers.Create(new Game24Solver());

        // Warm-up on a slice, so both sides are measured with jitted code; the solver's memo starts empty for the run.
        foreach (var numbers in puzzles.Take(20))
        {
            _ = BruteForce.Solvable([.. numbers.Select(n => (double)n)]);
        }
        await engine.RunAsync(new ThoughtProblem("4 4 6 8"), BeamFive, Game24Providers.Create(new Game24Solver()), cancellationToken: context.CancellationToken);

        var clock = Stopwatch.StartNew();
        var engineSolved = 0;
        foreach (var numbers in puzzles)
        {
            var result = await engine.RunAsync(new ThoughtProblem(string.Join(' ', numbers)), BeamFive, providers, cancellationToken: context.CancellationToken);
            engineSolved += result.Solved ? 1 : 0;
        }
        var engineTime = clock.Elapsed;

        clock.Restart();
        var bruteSolved = puzzles.Count(numbers => BruteForce.Solvable([.. numbers.Select(n => (double)n)]));
        var bruteTime = clock.Elapsed;

        var engineRate = puzzles.Count / engineTime.TotalSeconds;
        var bruteRate = puzzles.Count / bruteTime.TotalSeconds;
        context.Report.Add(new Row(
            $"Game of 24, all {puzzles.Count} puzzles of the data set (ToT engine, beam 5, depth 3): puzzles/s",
            $"{F(engineRate, "0")} ({engineSolved} solved)",
            $"{F(bruteRate, "0")} plain brute force ({bruteSolved} solvable)",
            Ratio(engineRate / bruteRate), "-", null));

        await CompareStrategiesAsync(context, engine, puzzles, bruteSolved);
    }

    /// <summary>
    /// Every strategy (and MCTS at three exploration constants) over the same puzzles with the exact providers. The
    /// search is deterministic, so the rows are exact; TotService.Tests' StrategyComparisonTests recomputes them and
    /// checks they stand in this report and in docs/SEARCH-STRATEGIES.md.
    /// </summary>
    private static async Task CompareStrategiesAsync(BenchContext context, ThoughtSearchEngine engine, List<int[]> puzzles, int solvable)
    {
        var table = new System.Text.StringBuilder()
            .AppendLine("All puzzles of `data/game24.csv` with the exact Game of 24 providers (every legal step proposed, exact")
            .AppendLine("reachability as value), `maxDepth` 3, `maxNodes` 2000, beam breadth 5. Nodes per solution is the tree size when")
            .AppendLine("the answer was found; puzzles/s is one thread.")
            .AppendLine()
            .AppendLine("| Strategy | Solved | Of solvable | Nodes per solution (mean) | Expansions per solution (mean) | Max nodes in one run | Puzzles/s |")
            .AppendLine("|---|---|---|---|---|---|---|");
        (SearchStrategy Strategy, double Exploration, string Name)[] variants =
        [
            (SearchStrategy.Beam, 1, "beam (b = 5)"), (SearchStrategy.BestFirst, 1, "best-first"), (SearchStrategy.DepthFirst, 1, "dfs"),
            (SearchStrategy.Mcts, 1, "mcts (c = 1, default)"), (SearchStrategy.Mcts, 0, "mcts (c = 0)"), (SearchStrategy.Mcts, 2, "mcts (c = 2)"),
        ];
        foreach (var (strategy, exploration, name) in variants)
        {
            var settings = BeamFive with { Strategy = strategy, ExplorationConstant = exploration };
            var exact = Game24Providers.Create(new Game24Solver());
            var results = new List<SearchResult>(puzzles.Count);
            var clock = Stopwatch.StartNew();
            foreach (var numbers in puzzles)
            {
                results.Add(await engine.RunAsync(new ThoughtProblem(string.Join(' ', numbers)), settings, exact, cancellationToken: context.CancellationToken));
            }
            var rate = puzzles.Count / clock.Elapsed.TotalSeconds;
            var solved = results.Where(r => r.Solved).ToList();
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {solved.Count} | {solvable} | {solved.Average(r => r.NodeCount):0.0} | {solved.Average(r => r.NodesExpanded):0.0} | {results.Max(r => r.NodeCount)} | {rate:0} |"));
        }
        context.Report.Section("Search strategies on the exact Game of 24 domain", table.ToString());
    }

    private static List<int[]> Load()
    {
        var file = Path.Combine(RepositoryPaths.Data, "game24.csv");
        return [.. File.ReadLines(file).Skip(1)
            .Select(line => line.Split(',')[1])
            .Select(cell => cell.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray())];
    }

    /// <summary>The textbook solver: combine any two numbers with any operation and recurse; stop at the first 24.</summary>
    private static class BruteForce
    {
        public static bool Solvable(List<double> values)
        {
            if (values.Count == 1)
            {
                return Math.Abs(values[0] - 24) < 1e-6;
            }
            for (var i = 0; i < values.Count; i++)
            {
                for (var j = i + 1; j < values.Count; j++)
                {
                    var rest = new List<double>(values.Count - 1);
                    for (var k = 0; k < values.Count; k++)
                    {
                        if (k != i && k != j)
                        {
                            rest.Add(values[k]);
                        }
                    }
                    var (a, b) = (values[i], values[j]);
                    foreach (var value in new[] { a + b, a * b, a - b, b - a, b == 0 ? double.NaN : a / b, a == 0 ? double.NaN : b / a })
                    {
                        if (double.IsNaN(value))
                        {
                            continue;
                        }
                        rest.Add(value);
                        if (Solvable(rest))
                        {
                            return true;
                        }
                        rest.RemoveAt(rest.Count - 1);
                    }
                }
            }
            return false;
        }
    }
}
