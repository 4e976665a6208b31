using Bench.Runner.Infrastructure;

namespace Bench.Runner.Measurements;

/// <summary>What every measurement shares: the running app model, the report and the load settings.</summary>
public sealed class BenchContext(BenchApp app, Report report, TimeSpan duration, TimeSpan warmup, CancellationToken cancellationToken)
{
    public const int Connections = 64;

    /// <summary>
    /// Longest warm-up per side. Tiered compilation needs tens of seconds under load on a 2-core machine to move a
    /// service's hot path to optimized code (the background JIT competes with the load), longer for TotService than
    /// for the far smaller baseline hosts; a short fixed warm-up compared partly unoptimized service code with optimized
    /// baseline code. Warm-up therefore runs in steps until throughput stops rising (see <see cref="WarmUpAsync"/>).
    /// </summary>
    public static readonly TimeSpan DefaultWarmup = TimeSpan.FromSeconds(90);

    public BenchApp App { get; } = app;

    public Report Report { get; } = report;

    public TimeSpan Duration { get; } = duration;

    public TimeSpan Warmup { get; } = warmup;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>RSS of each baseline host right after its load (MiB), for the memory rows.</summary>
    public Dictionary<string, double> BaselineRssMiB { get; } = [];

    /// <summary>Start-to-healthy times of the minimal Kestrel baseline, for the cold start rows.</summary>
    public List<TimeSpan> BaselineColdStarts { get; } = [];

    /// <summary>Measured rounds per comparison; service and baseline alternate, each row reports the median round.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>A warm-up run (discarded), then <see cref="Rounds"/> measured runs; the median by RPS is reported.</summary>
    public async Task<WrkResult> LoadAsync(Uri url, WrkRequest request, int connections = Connections) =>
        (await CompareAsync((url, request), null, connections)).Service;

    /// <summary>
    /// Service and baseline measured alternately (warm-up each, then <see cref="Rounds"/> rounds of one run each), so
    /// that load from elsewhere on the machine falls on both sides alike; each side reports its median round by RPS.
    /// Errors are summed over all rounds.
    /// </summary>
    public async Task<(WrkResult Service, WrkResult Baseline)> CompareAsync(
        (Uri Url, WrkRequest Request) service, (Uri Url, WrkRequest Request)? baseline, int connections = Connections) =>
        await CompareAsync(service, null, baseline, null, connections);

    /// <summary>
    /// As above; with the server processes' PIDs each result also carries the server's CPU time per request, which
    /// other work on the machine disturbs much less than requests per second.
    /// </summary>
    public async Task<(WrkResult Service, WrkResult Baseline)> CompareAsync(
        (Uri Url, WrkRequest Request) service, int? servicePid, (Uri Url, WrkRequest Request)? baseline, int? baselinePid,
        int connections = Connections)
    {
        var pids = new[] { servicePid, baselinePid };
        var sides = baseline is { } b ? new[] { service, b } : [service];
        foreach (var (url, request) in sides)
        {
            await WarmUpAsync(url, request, connections, Warmup, CancellationToken);
        }
        var results = sides.Select(_ => new List<WrkResult>()).ToArray();
        for (var round = 0; round < Rounds; round++)
        {
            for (var side = 0; side < sides.Length; side++)
            {
                var cpuBefore = pids[side] is { } pid ? ProcStats.CpuTime(pid) : TimeSpan.Zero;
                var result = await Wrk.RunAsync(sides[side].Url, sides[side].Request, connections, Duration, CancellationToken);
                if (pids[side] is { } measured && result.Requests > 0)
                {
                    result = result with { CpuMicrosecondsPerRequest = (ProcStats.CpuTime(measured) - cpuBefore).TotalMicroseconds / result.Requests };
                }
                Console.WriteLine($"  wrk {sides[side].Request.Method} {sides[side].Url} round {round + 1}: {result}");
                results[side].Add(result);
            }
        }
        var medians = results.Select(Median).ToArray();
        return (medians[0], medians.Length > 1 ? medians[1] : medians[0]);
    }

    /// <summary>
    /// Load in 5 s steps until a step's throughput is within 3% of the step before (steady state: the hot path is
    /// optimized), at most <paramref name="limit"/>.
    /// </summary>
    public static async Task WarmUpAsync(Uri url, WrkRequest request, int connections, TimeSpan limit, CancellationToken cancellationToken)
    {
        var step = TimeSpan.FromSeconds(5);
        var steps = new List<double>();
        for (var spent = TimeSpan.Zero; spent < limit; spent += step)
        {
            var result = await Wrk.RunAsync(url, request, connections, step, cancellationToken);
            steps.Add(result.RequestsPerSecond);
            if (steps.Count >= 2 && Math.Abs(steps[^1] - steps[^2]) <= 0.03 * steps[^2])
            {
                break;
            }
        }
        Console.WriteLine($"  warm-up {request.Method} {url}: {string.Join(" -> ", steps.Select(s => s.ToString("0", System.Globalization.CultureInfo.InvariantCulture)))} req/s");
    }

    private static WrkResult Median(List<WrkResult> rounds)
    {
        var median = rounds.OrderBy(r => r.RequestsPerSecond).ElementAt(rounds.Count / 2);
        return median with { Non2xx = rounds.Sum(r => r.Non2xx), SocketErrors = rounds.Sum(r => r.SocketErrors) };
    }

    public static string Errors(WrkResult result) => result.Clean ? "" : $" ({result.Non2xx} non-2xx, {result.SocketErrors} socket errors)";
}
