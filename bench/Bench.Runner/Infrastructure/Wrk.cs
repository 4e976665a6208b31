using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Bench.Runner.Infrastructure;

/// <summary>One wrk run's summary: throughput, latency percentiles and everything that was not a clean 2xx.</summary>
public sealed record WrkResult(double RequestsPerSecond, double P50Ms, double P99Ms, long Requests, long Non2xx, long SocketErrors)
{
    /// <summary>CPU time (user + system) the server process spent per request during the run, when it was measured.</summary>
    public double? CpuMicrosecondsPerRequest { get; init; }

    public bool Clean => Non2xx == 0 && SocketErrors == 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{RequestsPerSecond:0} req/s, p50 {P50Ms:0.00} ms, p99 {P99Ms:0.00} ms, {Requests} requests, {Non2xx} non-2xx, {SocketErrors} socket errors");
}

/// <summary>A wrk request: method, extra headers and body, written as wrk's Lua script.</summary>
public sealed record WrkRequest(string Method = "GET", string? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    public string ToLua()
    {
        var lua = new StringBuilder();
        lua.Append(CultureInfo.InvariantCulture, $"wrk.method = \"{Method}\"\n");
        if (Body is not null)
        {
            lua.Append(CultureInfo.InvariantCulture, $"wrk.body = [==[{Body}]==]\n");
        }
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            lua.Append(CultureInfo.InvariantCulture, $"wrk.headers[\"{name}\"] = [==[{value}]==]\n");
        }
        return lua.ToString();
    }
}

/// <summary>Runs Debian's wrk as a separate process on loopback and parses its <c>--latency</c> report.</summary>
public static partial class Wrk
{
    private const string TaskSet = "/usr/bin/taskset";

    /// <summary>
    /// wrk's threads: one by default, so the load generator takes at most one core. With two wrk threads on a 2-core
    /// machine, wrk competed with the server for both cores and its own scheduling delays landed in the measured tail:
    /// the bare Kestrel baseline alone showed JWKS p99 between 3.6 and 8.5 ms from round to round, against 3.0-4.7 ms
    /// with one pinned thread (same machine, same hour). <c>BENCH_WRK_THREADS</c> overrides it.
    /// </summary>
    public static int Threads { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("BENCH_WRK_THREADS"), CultureInfo.InvariantCulture, out var threads) && threads > 0 ? threads : 1;

    /// <summary>
    /// The core wrk is pinned to (<c>taskset</c>): the last one, so the server has the others to itself and shares
    /// only this one with the load generator; none on a single-core machine. <c>BENCH_WRK_CORE</c> overrides it
    /// (<c>-1</c>: not pinned).
    /// </summary>
    public static int? PinnedCore { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("BENCH_WRK_CORE"), CultureInfo.InvariantCulture, out var core)
            ? (core >= 0 ? core : null)
            : (Environment.ProcessorCount > 1 ? Environment.ProcessorCount - 1 : null);

    public static async Task<WrkResult> RunAsync(Uri url, WrkRequest request, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), $"bench-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, request.ToLua(), cancellationToken);
        try
        {
            var pinned = PinnedCore is not null && File.Exists(TaskSet);
            var start = new ProcessStartInfo(pinned ? TaskSet : "wrk")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (pinned)
            {
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add(PinnedCore!.Value.ToString(CultureInfo.InvariantCulture));
                start.ArgumentList.Add("wrk");
            }
            foreach (var argument in new[]
            {
                "-t", Math.Min(Threads, connections).ToString(CultureInfo.InvariantCulture),
                "-c", connections.ToString(CultureInfo.InvariantCulture),
                "-d", $"{(int)Math.Ceiling(duration.TotalSeconds)}s",
                "--timeout", "10s", "--latency", "-s", script, url.ToString(),
            })
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken);
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
            var text = await output;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {text} {await error}");
            }
            return Parse(text);
        }
        finally
        {
            File.Delete(script);
        }
    }

    public static WrkResult Parse(string report)
    {
        var rps = double.Parse(RequestsPerSecond().Match(report).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(report).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = Non2xx().Match(report) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        long socketErrors = 0;
        if (SocketErrors().Match(report) is { Success: true } s)
        {
            socketErrors = Enumerable.Range(1, 4).Sum(i => long.Parse(s.Groups[i].Value, CultureInfo.InvariantCulture));
        }
        return new WrkResult(rps, Percentile(report, "50"), Percentile(report, "99"), requests, non2xx, socketErrors);
    }

    private static double Percentile(string report, string percentile)
    {
        var match = Regex.Match(report, $@"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        if (!match.Success)
        {
            throw new FormatException($"wrk report has no {percentile}% latency line:\n{report}");
        }
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "ms" => value,
            _ => value * 1000,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
