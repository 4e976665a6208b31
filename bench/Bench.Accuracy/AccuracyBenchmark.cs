using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.AI;
using TotService.Engine.Diagnostics;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Domains.Game24.Llm;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;

namespace Bench.Accuracy;

/// <summary>Runs every chosen method on every chosen puzzle against one endpoint and builds the report.</summary>
public static class AccuracyBenchmark
{
    /// <summary>The paper's ToT setting: breadth 5, four steps (three operations and the answer).</summary>
    public static readonly SearchSettings PaperSettings = new() { Strategy = SearchStrategy.Beam, Breadth = 5, MaxDepth = 4, MaxNodes = 2000 };

    public static async Task<AccuracyReport> RunAsync(
        AccuracyOptions options, string endpoint, IReadOnlyList<(int Rank, string Puzzle)> puzzles, TextWriter progress, CancellationToken cancellationToken)
    {
        var retries = new EndpointRetries();
        using var client = new ConcurrencyLimiter(OpenAiChatClientFactory.Create(new LlmProviderOptions
        {
            BaseUrl = endpoint,
            Model = options.Model,
            ApiKey = options.ApiKeyEnvironmentVariable is { } name ? Environment.GetEnvironmentVariable(name) : null,
            MaxRetries = options.Retries,
            RetryDelaySeconds = 1,
            RequestTimeoutSeconds = options.TimeoutSeconds,
        }, retries), options.Concurrency);
        using var meters = new NoMeters();
        var metrics = new EngineMetrics(meters);
        var engine = new ThoughtSearchEngine(TimeProvider.System, metrics);

        var summaries = new List<MethodSummary>();
        var failures = new List<PuzzleOutcome>();
        foreach (var method in options.Methods)
        {
            var clock = Stopwatch.StartNew();
            var done = 0;
            var solved = 0;
            var outcomes = new PuzzleOutcome[puzzles.Count];
            await Parallel.ForEachAsync(Enumerable.Range(0, puzzles.Count),
                new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var (rank, puzzle) = puzzles[i];
                    var outcome = method == AccuracyMethods.Tot
                        ? await RunTreeOfThoughtsAsync(engine, client, metrics, rank, puzzle, options, token)
                        : await RunBaselineAsync(client, metrics, method, rank, puzzle, token);
                    outcomes[i] = outcome;
                    var finished = Interlocked.Increment(ref done);
                    var right = outcome.Solved ? Interlocked.Increment(ref solved) : Volatile.Read(ref solved);
                    lock (progress)
                    {
                        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"[{method} {finished}/{puzzles.Count}] {puzzle}: {(outcome.Solved ? "solved" : "failed")} ({right} solved so far, {clock.Elapsed.TotalSeconds:0.0} s){(outcome.Error is null ? "" : " - " + outcome.Error)}"));
                    }
                });
            summaries.Add(MethodSummary.From(method, outcomes, clock.Elapsed.TotalSeconds));
            failures.AddRange(outcomes.Where(o => !o.Solved));
        }

        return new AccuracyReport(
            "dotnet run --project bench/Bench.Accuracy -- " + string.Join(' ', options.Arguments),
            options.FakeModel ? "in-repo fake model (loopback)" : endpoint,
            options.Model, options.From, options.To, options.Concurrency, retries.Count, summaries, failures);
    }

    private static async Task<PuzzleOutcome> RunTreeOfThoughtsAsync(
        ThoughtSearchEngine engine, IChatClient client, EngineMetrics metrics, int rank, string puzzle, AccuracyOptions options, CancellationToken token)
    {
        var providers = LlmThoughtProviders.Create(client, "endpoint", metrics, domain: "game24");
        var settings = PaperSettings with { TimeBudget = TimeSpan.FromSeconds(options.TimeBudgetSeconds) };
        var result = await engine.RunAsync(new ThoughtProblem(puzzle), settings, providers, cancellationToken: token);
        var verified = result.Answer is not null && Game24Verifier.Verify(Game24Puzzle.Parse(puzzle), result.Answer).IsValid;
        return new PuzzleOutcome(AccuracyMethods.Tot, rank, puzzle, result.Solved && verified, result.Answer,
            EngineMetrics.TagValue(result.StopReason), result.Usage.ModelCalls, result.Usage.MalformedOutputs,
            result.Usage.PromptTokens, result.Usage.CompletionTokens, Math.Round(result.Elapsed.TotalSeconds, 3), result.Error,
            [.. result.BestPath.Skip(1).Select(n => n.Thought)]);
    }

    private static async Task<PuzzleOutcome> RunBaselineAsync(
        IChatClient client, EngineMetrics metrics, string method, int rank, string puzzle, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var outcome = await Game24Baselines.RunAsync(client, method, Game24Puzzle.Parse(puzzle), metrics, token);
        return new PuzzleOutcome(method, rank, puzzle, outcome.Solved, outcome.Answer, outcome.Message,
            outcome.Usage.ModelCalls, outcome.Usage.MalformedOutputs, outcome.Usage.PromptTokens, outcome.Usage.CompletionTokens,
            Math.Round(clock.Elapsed.TotalSeconds, 3), outcome.Failed ? outcome.Message : null, []);
    }

    /// <summary>The engine's instruments need a meter factory; the benchmark reads its own counters instead.</summary>
    private sealed class NoMeters : IMeterFactory
    {
        private readonly List<Meter> meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            lock (meters)
            {
                meters.Add(meter);
            }

            return meter;
        }

        public void Dispose()
        {
            foreach (var meter in meters)
            {
                meter.Dispose();
            }
        }
    }
}
