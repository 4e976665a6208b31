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
    /// <summary>Every measurement in report order, by the name <c>--only</c> selects it with.</summary>
    private static readonly (string Name, Func<BenchContext, Task> Measure)[] Measurements =
    [
        ("jwks", JwksMeasurement.RunAsync),
        ("token", TokenMeasurement.RunAsync),
        ("validation", ValidationMeasurement.RunAsync),
        ("mcp", McpMeasurement.RunAsync),
        ("mcp2026", McpStatelessMeasurement.RunAsync),
        ("memory", context => { StartupAndMemoryMeasurement.Memory(context); return Task.CompletedTask; }),
        ("rotation", context => RotationMeasurement.RunAsync(context, rotations: 20)),
        ("coldstart", StartupAndMemoryMeasurement.ColdStartAsync),
        ("game24", Game24Measurement.RunAsync),
    ];

    public static async Task<int> Main(string[] args)
    {
        if (args is ["profile", .. var rest])
        {
            var profile = RunnerArguments.Parse(rest);
            return await ProfileTarget.RunAsync(profile.Seconds, profile.Stateless, profile.Settings);
        }
        var options = RunnerArguments.Parse(args);
        var seconds = options.Seconds;
        // A bound for a run that hangs; a full run on a busy 2-core machine has taken more than 20 minutes.
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(45));
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var report = new Report();

        Console.WriteLine($"Starting the app model ({RepositoryPaths.Configuration} build, 2 unproxied instances per service)...");
        await using (var app = await BenchApp.StartAsync(instances: 2, options.Settings, cancel.Token))
        {
            var context = new BenchContext(app, report, TimeSpan.FromSeconds(seconds), BenchContext.DefaultWarmup, cancel.Token);
            foreach (var (name, measure) in Measurements)
            {
                if (options.Runs(name))
                {
                    await measure(context);
                }
            }
        }

        if (options.Only is not null)
        {
            // A partial run is for trying a change: print the rows, keep the published report as it is.
            Console.WriteLine(report.ToMarkdown(started, clock.Elapsed));
            return report.Rows.Any(r => r.Pass == false) ? 2 : 0;
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
