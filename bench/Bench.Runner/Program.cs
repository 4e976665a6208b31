using System.Diagnostics;
using Bench.Runner.Infrastructure;
using Bench.Runner.Measurements;

namespace Bench.Runner;

/// <summary>
/// <c>bash bench/run.sh</c> runs this after a Release build: starts the real app model, measures every row against a
/// baseline from the same run, and writes docs/BENCHMARKS.md. Exit code 0 when every target is met, 2 when a target
/// failed, 1 when the run itself failed.
/// </summary>
public static class BenchProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["profile", ..])
        {
            return await ProfileTarget.RunAsync();
        }
        var seconds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10;
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var report = new Report();

        Console.WriteLine($"Starting the app model ({RepositoryPaths.Configuration} build, 2 replicas per service)...");
        await using (var app = await BenchApp.StartAsync(replicas: 2, cancel.Token))
        {
            var context = new BenchContext(app, report, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(3), cancel.Token);
            await JwksMeasurement.RunAsync(context);
            await TokenMeasurement.RunAsync(context);
            await ValidationMeasurement.RunAsync(context);
            await McpMeasurement.RunAsync(context);
            StartupAndMemoryMeasurement.Memory(context);
            await RotationMeasurement.RunAsync(context, rotations: 20);
            await StartupAndMemoryMeasurement.ColdStartAsync(context);
            await Game24Measurement.RunAsync(context);
        }

        Method.Describe(report, seconds);
        MicroResults.Append(report);
        var output = Path.Combine(RepositoryPaths.Root, "docs", "BENCHMARKS.md");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        await File.WriteAllTextAsync(output, report.ToMarkdown(started, clock.Elapsed));
        Console.WriteLine($"Wrote {output}");
        var failed = report.Rows.Count(r => r.Pass == false);
        Console.WriteLine(failed == 0 ? "All targets met." : $"{failed} target(s) not met.");
        return failed == 0 ? 0 : 2;
    }
}
