using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using Bench.Runner.Infrastructure;
using static Bench.Runner.Infrastructure.Report;

namespace Bench.Runner.Measurements;

/// <summary>Cold start to healthy per service (instance 1 started again by the orchestrator), and resident memory after load.</summary>
public static class StartupAndMemoryMeasurement
{
    private const int Trials = 3;

    /// <summary>RSS of instance 0 of each service, which served all the load, against the baseline hosts after theirs.</summary>
    public static void Memory(BenchContext context)
    {
        foreach (var (service, baseline, label) in new[]
        {
            ("keyservice", "static", "minimal Kestrel baseline"),
            ("totservice", "mcp", "baseline MCP host"),
        })
        {
            var rss = ProcStats.RssBytes(context.App.PidOf(service, 0)) / 1048576.0;
            var reference = context.BaselineRssMiB[baseline];
            context.Report.Add(new Row($"RSS after load: {service}", $"{F(rss, "0")} MiB", $"{F(reference, "0")} MiB ({label}, after its load)",
                Ratio(rss / reference), "-", null));
        }
    }

    public static async Task ColdStartAsync(BenchContext context)
    {
        for (var i = 0; i < Trials; i++)
        {
            await using var baseline = await BaselineProcess.StartAsync("/health", ["--mode=static", $"--file={typeof(StartupAndMemoryMeasurement).Assembly.Location}"], context.CancellationToken);
            context.BaselineColdStarts.Add(baseline.StartToHealthy);
        }
        var reference = context.BaselineColdStarts.Max();

        foreach (var service in new[] { "keyservice", "totservice" })
        {
            var resource = context.App.Instances(service)[1];
            var times = new List<TimeSpan>();
            var fromCommand = new List<TimeSpan>();
            for (var i = 0; i < Trials; i++)
            {
                await context.App.KillAsync(resource, TimeSpan.FromSeconds(30));
                var clock = Stopwatch.StartNew();
                await context.App.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, context.CancellationToken);
                await context.App.WaitForStateAsync(resource, [KnownResourceStates.Running], TimeSpan.FromSeconds(60));
                var healthy = await Health.WaitHealthyAsync(new Uri(context.App.Endpoint(resource), "/health"), clock, TimeSpan.FromSeconds(60), context.CancellationToken);
                fromCommand.Add(healthy);
                // The service's own start: `dotnet run` (the orchestrator's launcher) evaluates the project before it.
                times.Add(context.App.Process(resource).ServiceAge() - (clock.Elapsed - healthy));
            }
            var worst = times.Max();
            context.Report.Add(new Row(
                $"Cold start to healthy (/health 200): {service}, worst of {Trials}",
                $"{F(worst.TotalMilliseconds, "0")} ms (median {F(times.Order().ElementAt(Trials / 2).TotalMilliseconds, "0")} ms; " +
                    $"from the start command, through `dotnet run`: worst {F(fromCommand.Max().TotalMilliseconds, "0")} ms)",
                $"{F(reference.TotalMilliseconds, "0")} ms minimal Kestrel baseline, worst of {context.BaselineColdStarts.Count}",
                Ratio(worst / reference), "< 3 s", worst < TimeSpan.FromSeconds(3)));
        }
    }
}
