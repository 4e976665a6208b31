using Bench.Accuracy;

AccuracyOptions options;
try
{
    options = AccuracyOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(AccuracyOptions.Usage);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var puzzles = PuzzleFile.Load(options.From, options.To);
if (puzzles.Count == 0)
{
    Console.Error.WriteLine($"No puzzles ranked {options.From}-{options.To} in data/game24.csv.");
    return 2;
}

await using var fake = options.FakeModel ? await FakeModelMode.StartAsync(options, stop.Token) : null;
var endpoint = fake?.BaseUrl.ToString() ?? options.Endpoint!;
Console.Error.WriteLine($"{puzzles.Count} puzzles, methods {string.Join(",", options.Methods)}, model {options.Model} at {endpoint}");
AccuracyReport report;
try
{
    report = await AccuracyBenchmark.RunAsync(options, endpoint, puzzles, Console.Error, stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine("Stopped (Ctrl+C): no report written.");
    return 130;
}

var prefix = Path.GetFullPath(options.Out);
Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
await File.WriteAllTextAsync(prefix + ".md", report.ToMarkdown());
await File.WriteAllTextAsync(prefix + ".json", report.ToJson() + "\n");
foreach (var m in report.Methods)
{
    Console.WriteLine($"{m.Method}: {m.Solved}/{m.Puzzles} solved, {m.ModelCalls} model calls, {m.PromptTokens}+{m.CompletionTokens} tokens, {m.WallSeconds} s");
}

Console.WriteLine($"Report: {prefix}.md and {prefix}.json");
return 0;
