using Bench.Runner.Infrastructure;
using static Bench.Runner.Infrastructure.Report;

namespace Bench.Runner.Measurements;

/// <summary>
/// Authenticated MCP tools/call (whoami) on TotService against the same call on a baseline MCP host: same SDK,
/// same stateful Streamable HTTP transport, same ServiceDefaults and tool shape, no authentication.
/// </summary>
public static class McpMeasurement
{
    public static async Task RunAsync(BenchContext context)
    {
        var app = context.App;
        var token = await app.GetTokenAsync(context.CancellationToken);
        await using var baseline = await BaselineProcess.StartAsync("/health",
            ["--mode=mcp", .. ServiceLogLevels.Arguments("TotService")], context.CancellationToken);

        var serviceEndpoint = app.McpEndpoint(0);
        var baselineEndpoint = new Uri(baseline.BaseAddress, "/mcp");
        var serviceSession = await McpRaw.OpenSessionAsync(serviceEndpoint, token, context.CancellationToken);
        var baselineSession = await McpRaw.OpenSessionAsync(baselineEndpoint, null, context.CancellationToken);
        var serviceRequest = new WrkRequest("POST", McpRaw.WhoAmICall, McpRaw.Headers(token, serviceSession));
        var baselineRequest = new WrkRequest("POST", McpRaw.WhoAmICall, McpRaw.Headers(null, baselineSession));
        await McpRaw.CheckToolResultAsync(serviceEndpoint, serviceRequest, context.CancellationToken);
        await McpRaw.CheckToolResultAsync(baselineEndpoint, baselineRequest, context.CancellationToken);

        // Diagnostic: a log line per request would be a hot-path cost of its own (console and OpenTelemetry logging).
        var loadStarted = DateTimeOffset.UtcNow;
        var baselineLinesBefore = baseline.OutputLines;
        var (service, reference) = await context.CompareAsync(
            (serviceEndpoint, serviceRequest), app.PidOf("totservice", 0),
            (baselineEndpoint, baselineRequest), baseline.Pid);
        var lines = app.TotServices.SelectMany(resource => app.Logs.Lines(resource)).Where(line => line.Time >= loadStarted).Select(line => line.Text).ToList();
        var logged = lines.Count;
        var samples = lines.Select(text => text.Length > 160 ? text[..160] : text).Distinct().Take(8).ToList();
        context.Report.Section("Diagnostics", $"- Baseline MCP host output lines during the same load: {baseline.OutputLines - baselineLinesBefore}.\n" +
            $"- TotService log lines written while it served the MCP load: {logged}" +
            (logged == 0 ? "." : "; the first ones:\n\n" + string.Join("\n", samples.Select(l => $"      {l}"))));
        var ratio = service.RequestsPerSecond / reference.RequestsPerSecond;
        context.Report.Add(new Row(
            $"MCP tools/call whoami, authenticated, {BenchContext.Connections} connections: RPS",
            F(service.RequestsPerSecond, "0") + BenchContext.Errors(service),
            F(reference.RequestsPerSecond, "0") + " (unauthenticated baseline MCP host)" + BenchContext.Errors(reference),
            Ratio(ratio), ">= 0.85x", ratio >= 0.85 && service.Clean));
        context.Report.Add(new Row(
            "MCP tools/call whoami latency p50 / p99",
            $"{F(service.P50Ms)} / {F(service.P99Ms)} ms",
            $"{F(reference.P50Ms)} / {F(reference.P99Ms)} ms",
            Ratio(service.P99Ms / reference.P99Ms) + " (p99)", "-", null));
        context.Report.Add(CpuRow("MCP tools/call whoami: server CPU time per request (user + system)", service, reference));
        context.BaselineRssMiB["mcp"] = ProcStats.RssBytes(baseline.Pid) / 1048576.0;

        await McpProfile.RunAsync(context, "where an authenticated tools/call on a session spends its time", "mcp",
            (serviceEndpoint, serviceRequest, app.PidOf("totservice", 0)),
            (baselineEndpoint, baselineRequest, baseline.Pid));
    }
}
