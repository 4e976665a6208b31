using AppModelTesting;
using Resilience.Tests.Infrastructure;

namespace Resilience.Tests;

/// <summary>
/// 60 s of moderate load (tokens, JWKS, MCP whoami; several hundred requests per second on this machine's size) while
/// the first instance of each service, the only ones loaded, is sampled each second: resident memory from /proc, and the managed heap left after the last
/// garbage collection from the service's own /metrics (<c>dotnet.gc.last_collection.heap.size</c>, all generations).
/// Sampling starts after 20 s of the same load (JIT, pools and caches of a freshly started process; on a busy machine a
/// collection or two, so the first sample is not start-up growth), and the least-squares slope of each over the 60 s
/// must stay under its bound:
/// <list type="bullet">
/// <item>managed heap after GC: <see cref="HeapGrowthBoundMiB"/> per minute. This is the leak detector: a leak of
/// one kilobyte per request at this load would grow it by about 30 MiB per minute.</item>
/// <item>RSS: <see cref="RssGrowthBoundMiB"/> per minute. Looser, because the server GC commits memory in steps of
/// several MiB while it sizes its generations during the first minutes; it still catches native leaks and
/// unbounded growth at the scale of megabytes per second.</item>
/// </list>
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class SoakTests(ResilienceAppModel model, ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public const double HeapGrowthBoundMiB = 8;
    public const double RssGrowthBoundMiB = 64;
    private static readonly TimeSpan SoakTime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Sixty_seconds_of_moderate_load_show_no_memory_growth_trend()
    {
        await model.WaitAllHealthyAsync(TimeSpan.FromSeconds(30));
        // The service processes themselves, not the `dotnet run` the orchestrator starts each of them through.
        var processes = new[] { model.KeyServices[0], model.TotServices[0] }.ToDictionary(r => r, r => model.Process(r).ServicePid);
        var rss = processes.Keys.ToDictionary(r => r, _ => new List<(double Seconds, double MiB)>());
        var heap = processes.Keys.ToDictionary(r => r, _ => new List<(double Seconds, double MiB)>());
        using var metrics = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        // Only the sampled instances are loaded, so each sees the whole load the leak bound below is reckoned for.
        await using var load = await SteadyLoad.StartAsync(model, workers: 4, pause: TimeSpan.FromMilliseconds(10), instances: 1);
        await Task.Delay(WarmUp, Ct);
        var sampling = load.Now;
        while (load.Now - sampling < SoakTime)
        {
            foreach (var (resource, pid) in processes)
            {
                rss[resource].Add(((load.Now - sampling).TotalSeconds, ProcFs.RssMiB(pid)));
                if (await ServiceMemory.ManagedHeapMiBAsync(metrics, new Uri(model.Endpoint(resource), "/metrics"), Ct) is { } managed)
                {
                    heap[resource].Add(((load.Now - sampling).TotalSeconds, managed));
                }
            }
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        }
        await load.StopAsync();

        LoadVerdict.AssertClean(load.Outcomes);
        output.WriteLine($"{load.Outcomes.Count} requests in {(WarmUp + SoakTime).TotalSeconds:0} s");
        foreach (var resource in processes.Keys)
        {
            var rssTrend = Trend(rss[resource]);
            var heapTrend = Trend(heap[resource]);
            output.WriteLine($"{resource}: RSS {rss[resource][0].MiB:0} -> {rss[resource][^1].MiB:0} MiB (trend {rssTrend:0.0} MiB/min); " +
                $"managed heap after GC {heap[resource].FirstOrDefault().MiB:0.0} -> {heap[resource].LastOrDefault().MiB:0.0} MiB (trend {heapTrend:0.0} MiB/min)");
            Assert.True(heap[resource].Count > 20, $"{resource}: /metrics reported dotnet.gc.last_collection.heap.size in only {heap[resource].Count} samples");
            Assert.True(heapTrend < HeapGrowthBoundMiB,
                $"{resource} managed heap grows {heapTrend:0.0} MiB/min under steady load (bound {HeapGrowthBoundMiB}): " +
                string.Join(" ", heap[resource].Select(p => $"{p.MiB:0.0}")));
            Assert.True(rssTrend < RssGrowthBoundMiB,
                $"{resource} RSS grows {rssTrend:0.0} MiB/min under steady load (bound {RssGrowthBoundMiB}): " +
                string.Join(" ", rss[resource].Select(p => $"{p.MiB:0}")));
        }
    }

    /// <summary>MiB per minute, least squares over the samples.</summary>
    private static double Trend(List<(double Seconds, double MiB)> samples) => Slope(samples) * 60;

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
