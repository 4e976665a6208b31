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
    public static int Threads { get; set; } = Math.Max(1, Environment.ProcessorCount);

    public static async Task<WrkResult> RunAsync(Uri url, WrkRequest request, int connections, TimeSpan duration, CancellationToken cancellationToken)
    {
        var script = Path.Combine(Path.GetTempPath(), $"bench-wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, request.ToLua(), cancellationToken);
        try
        {
            var start = new ProcessStartInfo("wrk")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
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
