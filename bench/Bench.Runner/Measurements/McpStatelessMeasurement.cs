using Bench.Runner.Infrastructure;
using static Bench.Runner.Infrastructure.Report;

namespace Bench.Runner.Measurements;

/// <summary>
/// Authenticated tools/call (whoami) over protocol version 2026-07-28, stateless (no session: the revision, method and
/// tool in the headers and <c>params._meta</c>), on TotService against two unauthenticated baselines with the same
/// tool: the C# SDK's own stateless host (same SDK, ServiceDefaults and tool shape) and the official TypeScript SDK's
/// stateless Streamable HTTP server on Node.
/// </summary>
public static class McpStatelessMeasurement
{
    public static async Task RunAsync(BenchContext context)
    {
        var app = context.App;
        await using var sdkHost = await BaselineProcess.StartAsync("/health",
            ["--mode=mcp-stateless", .. ServiceLogLevels.Arguments("TotService")], context.CancellationToken);
        await using var typeScript = await BaselineProcess.StartTypeScriptAsync(context.CancellationToken);

        var serviceUrl = app.McpEndpoint(0);
        var sdk = (Url: new Uri(sdkHost.BaseAddress, "/mcp"), Request: new WrkRequest("POST", McpRaw.StatelessWhoAmICall, McpRaw.StatelessHeaders(null)));
        var node = (Url: new Uri(typeScript.BaseAddress, "/mcp"),
            Request: new WrkRequest("POST", McpRaw.StatelessWhoAmICall, McpRaw.StatelessHeaders(null, McpRaw.TypeScriptProtocolVersion)));
        await McpRaw.CheckToolResultAsync(sdk.Url, sdk.Request, context.CancellationToken);
        await McpRaw.CheckToolResultAsync(node.Url, node.Request, context.CancellationToken);

        var servicePid = app.PidOf("totservice", 0);
        var (versusSdk, sdkResult) = await context.CompareAsync(await ServiceSideAsync(context, serviceUrl), servicePid, sdk, sdkHost.Pid);
        AddRows(context, "C# SDK host (stateless, unauthenticated)", versusSdk, sdkResult, 0.85);
        var (versusNode, nodeResult) = await context.CompareAsync(await ServiceSideAsync(context, serviceUrl), servicePid, node, typeScript.Pid);
        AddRows(context, $"TypeScript SDK 1.32.2 on Node (stateless, unauthenticated, protocol version {McpRaw.TypeScriptProtocolVersion}: the newest it speaks)",
            versusNode, nodeResult, 3.0);

        var service = await ServiceSideAsync(context, serviceUrl);
        await McpProfile.RunAsync(context, $"where an authenticated {McpRaw.StatelessProtocolVersion} tools/call spends its time", "mcp2026",
            (service.Url, service.Request, servicePid), (sdk.Url, sdk.Request, sdkHost.Pid));
    }

    /// <summary>
    /// TotService's side with a token taken just now: the run's tokens live 5 minutes, less than one comparison with
    /// its warm-ups can take on a busy machine.
    /// </summary>
    private static async Task<(Uri Url, WrkRequest Request)> ServiceSideAsync(BenchContext context, Uri url)
    {
        var request = new WrkRequest("POST", McpRaw.StatelessWhoAmICall, McpRaw.StatelessHeaders(await context.App.GetTokenAsync(context.CancellationToken)));
        await McpRaw.CheckToolResultAsync(url, request, context.CancellationToken);
        return (url, request);
    }

    private static void AddRows(BenchContext context, string baselineName, WrkResult service, WrkResult baseline, double target)
    {
        var ratio = service.RequestsPerSecond / baseline.RequestsPerSecond;
        context.Report.Add(new Row(
            $"MCP {McpRaw.StatelessProtocolVersion} tools/call whoami, authenticated, stateless, {BenchContext.Connections} connections: RPS",
            F(service.RequestsPerSecond, "0") + BenchContext.Errors(service),
            F(baseline.RequestsPerSecond, "0") + $" ({baselineName})" + BenchContext.Errors(baseline),
            Ratio(ratio), $">= {target:0.00}x", ratio >= target && service.Clean && baseline.Clean));
        context.Report.Add(new Row(
            $"MCP {McpRaw.StatelessProtocolVersion} tools/call whoami latency p50 / p99",
            $"{F(service.P50Ms)} / {F(service.P99Ms)} ms",
            $"{F(baseline.P50Ms)} / {F(baseline.P99Ms)} ms",
            Ratio(service.P99Ms / baseline.P99Ms) + " (p99)", "-", null));
        context.Report.Add(CpuRow($"MCP {McpRaw.StatelessProtocolVersion} tools/call whoami: server CPU time per request (user + system)", service, baseline));
    }
}
