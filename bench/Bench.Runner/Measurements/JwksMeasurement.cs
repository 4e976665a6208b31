using Bench.Runner.Infrastructure;
using static Bench.Runner.Infrastructure.Report;

namespace Bench.Runner.Measurements;

/// <summary>KeyService's JWKS endpoint against a minimal Kestrel endpoint serving the same bytes.</summary>
public static class JwksMeasurement
{
    public const string Path = "/.well-known/jwks.json";

    public static async Task RunAsync(BenchContext context)
    {
        var keyservice = context.App.Endpoint("keyservice", 0);
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(new Uri(keyservice, Path), context.CancellationToken);
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"bench-jwks-{Guid.NewGuid():N}.json");
        await File.WriteAllBytesAsync(file, bytes, context.CancellationToken);
        try
        {
            await using var baseline = await BaselineProcess.StartAsync("/health", ["--mode=static", $"--file={file}", $"--route={Path}"], context.CancellationToken);

            var (service, reference) = await context.CompareAsync(
                (new Uri(keyservice, Path), new WrkRequest()), context.App.PidOf("keyservice", 0),
                (new Uri(baseline.BaseAddress, Path), new WrkRequest()), baseline.Pid);
            var ratio = service.RequestsPerSecond / reference.RequestsPerSecond;
            context.Report.Add(new Row(
                $"JWKS GET ({bytes.Length} bytes), {BenchContext.Connections} connections: RPS",
                F(service.RequestsPerSecond, "0") + Errors(service),
                F(reference.RequestsPerSecond, "0") + " (minimal Kestrel, same bytes)" + Errors(reference),
                Ratio(ratio), ">= 0.80x", ratio >= 0.8 && service.Clean));
            context.Report.Add(new Row(
                "JWKS GET latency p50 / p99",
                $"{F(service.P50Ms)} / {F(service.P99Ms)} ms",
                $"{F(reference.P50Ms)} / {F(reference.P99Ms)} ms",
                Ratio(service.P99Ms / reference.P99Ms) + " (p99)", "p99 < 5 ms", service.P99Ms < 5));
            context.Report.Add(CpuRow("JWKS GET: server CPU time per request (user + system)", service, reference));

            context.BaselineRssMiB["static"] = ProcStats.RssBytes(baseline.Pid) / 1048576.0;

            // Attribution: the same minimal endpoint with the services' shared AddServiceDefaults() (telemetry).
            await using var withDefaults = await BaselineProcess.StartAsync("/health",
                ["--mode=static", $"--file={file}", $"--route={Path}", "--telemetry=true", .. ServiceLogLevels.Arguments("KeyService")],
                context.CancellationToken);
            var (instrumented, plain) = await context.CompareAsync((new Uri(withDefaults.BaseAddress, Path), new WrkRequest()), (new Uri(baseline.BaseAddress, Path), new WrkRequest()));
            context.Report.Add(new Row(
                "Attribution: minimal endpoint + AddServiceDefaults() (OpenTelemetry metrics and logging, KeyService's log levels), same bytes: RPS",
                $"{F(instrumented.RequestsPerSecond, "0")} (p99 {F(instrumented.P99Ms)} ms)",
                $"{F(plain.RequestsPerSecond, "0")} minimal Kestrel",
                Ratio(instrumented.RequestsPerSecond / plain.RequestsPerSecond), "-", null));
            context.BaselineColdStarts.Add(baseline.StartToHealthy);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Errors(WrkResult result) => BenchContext.Errors(result);
}
