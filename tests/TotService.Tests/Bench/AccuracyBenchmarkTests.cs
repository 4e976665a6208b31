using System.Text.Json;
using Bench.Accuracy;
using FakeOpenAi;

namespace TotService.Tests.Bench;

/// <summary>The model-accuracy benchmark against the fake OpenAI-compatible server.</summary>
public sealed class AccuracyBenchmarkTests
{
    private const string ExampleReport = "bench/Bench.Accuracy/example-report";
    private const string CommandPrefix = "dotnet run --project bench/Bench.Accuracy -- ";

    [Fact]
    public async Task The_committed_example_report_has_the_numbers_the_scripted_model_makes()
    {
        var root = PuzzleFile.RepositoryRoot();
        var committed = AccuracyReport.FromJson(await File.ReadAllTextAsync(Path.Combine(root, ExampleReport + ".json"), TestContext.Current.CancellationToken));
        Assert.StartsWith(CommandPrefix, committed.Command, StringComparison.Ordinal);
        var options = AccuracyOptions.Parse(committed.Command[CommandPrefix.Length..].Split(' '));
        var puzzles = PuzzleFile.Load(options.From, options.To);
        await using var fake = await FakeModelMode.StartAsync(options, TestContext.Current.CancellationToken);

        var report = await AccuracyBenchmark.RunAsync(options, fake.BaseUrl.ToString(), puzzles, TextWriter.Null, TestContext.Current.CancellationToken);

        // Solved: exactly the puzzles in range the script makes the model good at, per method.
        int GoodIn((int From, int To)? good) => puzzles.Count(p => good is { } g && p.Rank >= g.From && p.Rank <= g.To);
        var byMethod = report.Methods.ToDictionary(m => m.Method);
        Assert.Equal(GoodIn(options.FakeGood), byMethod[AccuracyMethods.Tot].Solved);
        Assert.Equal(GoodIn(options.FakeCotGood), byMethod[AccuracyMethods.Cot].Solved);
        Assert.Equal(GoodIn(options.FakeIoGood), byMethod[AccuracyMethods.Io].Solved);
        Assert.True(byMethod[AccuracyMethods.Tot].Solved > byMethod[AccuracyMethods.Cot].Solved, "the example should separate the methods");

        // Calls and tokens: one call per puzzle for the baselines, and in total exactly what the fake server served and counted.
        Assert.Equal(puzzles.Count, byMethod[AccuracyMethods.Cot].ModelCalls);
        Assert.Equal(puzzles.Count, byMethod[AccuracyMethods.Io].ModelCalls);
        Assert.Equal(fake.Requests.Count, report.Methods.Sum(m => m.ModelCalls));
        Assert.Equal(fake.PromptTokens, report.Methods.Sum(m => m.PromptTokens));
        Assert.Equal(fake.CompletionTokens, report.Methods.Sum(m => m.CompletionTokens));
        Assert.Equal(0, report.RetriedRequests);
        Assert.All(report.Failures.Where(f => f.Method == AccuracyMethods.Tot), f => Assert.NotEmpty(f.BestPath));

        // The committed files are this run, wall times aside.
        Assert.Equal(Comparable(committed), Comparable(report));
        var markdown = await File.ReadAllTextAsync(Path.Combine(root, ExampleReport + ".md"), TestContext.Current.CancellationToken);
        Assert.Contains(committed.Command, markdown, StringComparison.Ordinal);
        Assert.Contains($"| ToT (b=5) | {byMethod[AccuracyMethods.Tot].Solved}/{puzzles.Count} |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_endpoint_is_retried_and_reported_and_the_run_still_finishes()
    {
        var puzzles = PuzzleFile.Load(901, 902);
        var script = new FakeScript { Model = new Game24FakeModel([], [], []) };
        script.Rules.Add(new FakeRule($"answer line only.*Input: {puzzles[0].Puzzle}$") { Fault = FakeFault.ServerError, Times = 1 });
        script.Rules.Add(new FakeRule($"Input: {puzzles[1].Puzzle}\nSteps:$") { Fault = FakeFault.ServerError });
        await using var fake = await FakeOpenAiServer.StartAsync(script, TestContext.Current.CancellationToken);
        var options = AccuracyOptions.Parse(["--endpoint", fake.BaseUrl.ToString(), "--model", "m", "--from", "901", "--to", "902", "--methods", "cot,io", "--retries", "1"]);

        var report = await AccuracyBenchmark.RunAsync(options, fake.BaseUrl.ToString(), puzzles, TextWriter.Null, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(2, report.RetriedRequests);
        var cot = report.Methods.Single(m => m.Method == AccuracyMethods.Cot);
        Assert.Equal(1, cot.FailedRuns);
        Assert.Equal(0, report.Methods.Single(m => m.Method == AccuracyMethods.Io).FailedRuns);
        var failure = Assert.Single(report.Failures, f => f.Error is not null);
        Assert.Equal((AccuracyMethods.Cot, 902), (failure.Method, failure.Rank));
        Assert.Contains("500", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_key_comes_from_the_named_variable_requests_stay_within_the_concurrency_and_progress_is_a_line_per_puzzle()
    {
        var puzzles = PuzzleFile.Load(901, 906);
        var script = new FakeScript { Model = new Game24FakeModel([], [], [.. puzzles.Select(p => Numbers(p.Puzzle))]) };
        script.Rules.Add(new FakeRule("Input: ") { Delay = TimeSpan.FromMilliseconds(150) }); // the model's replies, slowly
        await using var fake = await FakeOpenAiServer.StartAsync(script, TestContext.Current.CancellationToken);
        var variable = "TOT_BENCH_TEST_KEY_" + Guid.NewGuid().ToString("N");
        var key = "sk-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, key);
        try
        {
            var options = AccuracyOptions.Parse(["--endpoint", fake.BaseUrl.ToString(), "--model", "m", "--api-key-env", variable,
                "--from", "901", "--to", "906", "--methods", "io", "--concurrency", "2"]);
            var progress = new StringWriter();

            var report = await AccuracyBenchmark.RunAsync(options, fake.BaseUrl.ToString(), puzzles, progress, TestContext.Current.CancellationToken)
                .WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

            Assert.Equal(puzzles.Count, fake.Requests.Count);
            Assert.All(fake.Requests, r => Assert.Equal("Bearer " + key, r.Authorization));
            Assert.Equal(2, fake.MaxConcurrentRequests);
            var lines = progress.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(puzzles.Count, lines.Length);
            Assert.Equal(Enumerable.Range(1, puzzles.Count).Select(i => $"[io {i}/{puzzles.Count}]"), lines.Select(l => l[..l.IndexOf(']', StringComparison.Ordinal)] + "]"));
            Assert.Equal(puzzles.Count, report.Methods.Single().Solved);
            Assert.DoesNotContain(key, progress.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task A_slow_endpoint_times_out_is_retried_and_the_run_still_finishes()
    {
        var puzzles = PuzzleFile.Load(901, 902);
        var script = new FakeScript { Model = new Game24FakeModel([], [], []) };
        script.Rules.Add(new FakeRule($"Input: {puzzles[0].Puzzle}$") { Delay = TimeSpan.FromSeconds(30) });
        await using var fake = await FakeOpenAiServer.StartAsync(script, TestContext.Current.CancellationToken);
        var options = AccuracyOptions.Parse(["--endpoint", fake.BaseUrl.ToString(), "--model", "m", "--from", "901", "--to", "902",
            "--methods", "io", "--timeout", "1", "--retries", "1"]);

        var report = await AccuracyBenchmark.RunAsync(options, fake.BaseUrl.ToString(), puzzles, TextWriter.Null, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(25), TestContext.Current.CancellationToken);

        Assert.Equal(1, report.RetriedRequests);
        var io = report.Methods.Single();
        Assert.Equal((1, 0), (io.FailedRuns, io.Solved));
        var failure = Assert.Single(report.Failures, f => f.Error is not null);
        Assert.Equal(901, failure.Rank);
        Assert.Contains("did not answer", failure.Error, StringComparison.Ordinal);
        Assert.Equal(3, fake.Requests.Count); // the slow puzzle twice, the other once
    }

    [Theory]
    [InlineData(new[] { "--endpoint", "http://127.0.0.1:1/v1", "--model", "m", "--api-key", "sk-secret" }, "--api-key-env")]
    [InlineData(new[] { "--endpoint", "http://127.0.0.1:1/v1", "--model", "m", "--api-key-env", "TOT_BENCH_UNSET_VARIABLE_4711" }, "TOT_BENCH_UNSET_VARIABLE_4711, which is not set")]
    [InlineData(new[] { "--model", "m" }, "--endpoint")]
    [InlineData(new[] { "--fake-model", "--from", "910", "--to", "901" }, "must not be after")]
    public void Bad_options_are_refused_with_a_message_saying_what_to_do(string[] args, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => AccuracyOptions.Parse(args));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret", error.Message, StringComparison.Ordinal);
    }

    private static int[] Numbers(string puzzle) => [.. puzzle.Split(' ').Select(int.Parse)];

    private static string Comparable(AccuracyReport report) => JsonSerializer.Serialize(new
    {
        report.Command,
        report.From,
        report.To,
        report.RetriedRequests,
        Methods = report.Methods.Select(m => m with { WallSeconds = 0 }),
        Failures = report.Failures.Select(f => f with { Seconds = 0 }),
    });
}
