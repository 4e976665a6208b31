using Resilience.Tests.Infrastructure;

namespace Resilience.Tests;

/// <summary>One replica of each service, for the soak.</summary>
public sealed class SoakAppModel : ResilienceAppModel
{
    public override int Replicas => 1;
}

/// <summary>
/// 60 s of moderate load (tokens, JWKS, MCP whoami; a few hundred requests per second on this machine's size) while
/// the resident memory of every service process is sampled from /proc every second. After a 15 s warm-up (JIT,
/// pools, GC settling) the least-squares slope of RSS over time must predict less than <see cref="GrowthBoundMiB"/>
/// of growth per minute: a leak of one kilobyte per request would exceed it several times over.
/// </summary>
public sealed class SoakTests(SoakAppModel model, ITestOutputHelper output) : IClassFixture<SoakAppModel>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public const double GrowthBoundMiB = 16;
    private static readonly TimeSpan SoakTime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Sixty_seconds_of_moderate_load_show_no_memory_growth_trend()
    {
        await model.WaitAllHealthyAsync(TimeSpan.FromSeconds(30));
        var processes = new[] { "keyservice", "totservice" }.ToDictionary(r => r, r => model.PidOf(r));
        var samples = processes.Keys.ToDictionary(r => r, _ => new List<(double Seconds, double MiB)>());

        await using var load = await SteadyLoad.StartAsync(model, workers: 4, pause: TimeSpan.FromMilliseconds(10));
        while (load.Now < SoakTime)
        {
            foreach (var (resource, pid) in processes)
            {
                samples[resource].Add((load.Now.TotalSeconds, RssMiB(pid)));
            }
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        }
        await load.StopAsync();

        LoadVerdict.AssertClean(load.Outcomes);
        output.WriteLine($"{load.Outcomes.Count} requests in {SoakTime.TotalSeconds:0} s");
        foreach (var (resource, points) in samples)
        {
            var steady = points.Where(p => p.Seconds >= WarmUp.TotalSeconds).ToList();
            var slope = Slope(steady);
            output.WriteLine($"{resource}: RSS {points[0].MiB:0} -> {points[^1].MiB:0} MiB, trend after warm-up {slope * 60:0.0} MiB/min");
            Assert.True(slope * 60 < GrowthBoundMiB,
                $"{resource} RSS grows {slope * 60:0.0} MiB/min under steady load (bound {GrowthBoundMiB} MiB/min): " +
                string.Join(" ", steady.Select(p => $"{p.MiB:0}")));
        }
    }

    private static double RssMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Least-squares slope of MiB over seconds.</summary>
    private static double Slope(List<(double Seconds, double MiB)> points)
    {
        var meanX = points.Average(p => p.Seconds);
        var meanY = points.Average(p => p.MiB);
        var covariance = points.Sum(p => (p.Seconds - meanX) * (p.MiB - meanY));
        var variance = points.Sum(p => (p.Seconds - meanX) * (p.Seconds - meanX));
        return covariance / variance;
    }
}
