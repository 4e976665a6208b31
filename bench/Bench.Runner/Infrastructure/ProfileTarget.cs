using System.Globalization;

namespace Bench.Runner.Infrastructure;

/// <summary>
/// <c>Bench.Runner.dll profile [seconds] [--stateless] [--set=resource:NAME=VALUE ...]</c>: the MCP whoami load on TotService (1 instance) and then on the baseline MCP
/// host (with <c>--stateless</c>: the protocol version 2026-07-28 call, and the SDK's stateless host), printing for each the requests per second, server CPU time per request and managed bytes allocated per
/// request (from the process's own <c>/metrics</c>). Allocation per request does not depend on other load on the
/// machine, so it shows the effect of a change on the hot path in one short run. The PIDs are printed first, so a
/// profiler (e.g. <c>dotnet-trace collect -p PID</c>) can attach. Not part of the report.
/// </summary>
public static class ProfileTarget
{
    public static async Task<int> RunAsync(int seconds, bool stateless, IReadOnlyList<(string Resource, string Name, string Value)> settings)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await using var app = await BenchApp.StartAsync(instances: 1, settings, cancel.Token);
        await using var baseline = await BaselineProcess.StartAsync("/health",
            [stateless ? "--mode=mcp-stateless" : "--mode=mcp", .. ServiceLogLevels.Arguments("TotService")], cancel.Token);
        var token = await app.GetTokenAsync(cancel.Token);
        var service = app.McpEndpoint(0);
        var reference = new Uri(baseline.BaseAddress, "/mcp");
        Console.WriteLine($"totservice pid {app.PidOf("totservice", 0)} at {service}, baseline pid {baseline.Pid} at {reference}");

        await MeasureAsync("totservice", service, token, app.PidOf("totservice", 0), seconds, stateless, cancel.Token);
        await MeasureAsync("baseline", reference, null, baseline.Pid, seconds, stateless, cancel.Token);
        return 0;
    }

    private static async Task MeasureAsync(string name, Uri endpoint, string? token, int pid, int seconds, bool stateless, CancellationToken cancellationToken)
    {
        var request = stateless
            ? new WrkRequest("POST", McpRaw.StatelessWhoAmICall, McpRaw.StatelessHeaders(token))
            : new WrkRequest("POST", McpRaw.WhoAmICall, McpRaw.Headers(token, await McpRaw.OpenSessionAsync(endpoint, token, cancellationToken)));
        await McpRaw.CheckToolResultAsync(endpoint, request, cancellationToken);
        var metrics = new Uri(endpoint, "/metrics");
        await Measurements.BenchContext.WarmUpAsync(endpoint, request, 64, Measurements.BenchContext.DefaultWarmup, cancellationToken);

        var allocatedBefore = await ManagedAllocations.TotalBytesAsync(metrics, cancellationToken);
        var cpuBefore = ProcStats.CpuTime(pid);
        var switchesBefore = ProcStats.ContextSwitches(pid);
        var load = await Wrk.RunAsync(endpoint, request, 64, TimeSpan.FromSeconds(seconds), cancellationToken);
        var cpu = ProcStats.CpuTime(pid) - cpuBefore;
        var switches = ProcStats.ContextSwitches(pid) - switchesBefore;
        var allocated = await ManagedAllocations.TotalBytesAsync(metrics, cancellationToken) - allocatedBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {load}; {cpu.TotalMicroseconds / load.Requests:0.0} us CPU/request; {allocated / load.Requests:0} bytes allocated/request; " +
            $"{(double)switches / load.Requests:0.00} context switches/request, {Environment.ProcessorCount} cores, threads {Directory.GetDirectories($"/proc/{pid}/task").Length}"));

        // One connection, one request at a time: no contention and no thread pool scaling, so the time per request is
        // the request's own cost plus a loopback round trip, and moves little between runs.
        // (CPU time is not reported here: at one connection idle thread-pool workers spin between requests.)
        var serialSwitchesBefore = ProcStats.ContextSwitches(pid);
        var serial = await Wrk.RunAsync(endpoint, request, 1, TimeSpan.FromSeconds(seconds), cancellationToken);
        var serialSwitches = ProcStats.ContextSwitches(pid) - serialSwitchesBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} (1 connection): {1_000_000 / serial.RequestsPerSecond:0.0} us/request, p50 {serial.P50Ms * 1000:0} us, " +
            $"{(double)serialSwitches / serial.Requests:0.00} context switches/request"));
    }
}
