using System.Globalization;
using System.Text;
using Bench.Runner.Infrastructure;
using Bench.Runner.Profiling;
using static Bench.Runner.Infrastructure.Report;

namespace Bench.Runner.Measurements;

/// <summary>
/// Where the authenticated tools/call's time goes: the same whoami load on TotService and on the baseline MCP host,
/// each under a thread-time trace, and the managed CPU time per request split by the part of the request path that
/// spent it. A run of its own after the measured rounds, since tracing slows both sides.
/// </summary>
public static class McpProfile
{
    /// <summary>Nearest-to-leaf owner wins; where one frame matches two owners, the one listed first.</summary>
    public static readonly IReadOnlyList<ProfileOwner> Owners =
    [
        new("Token validation: JwtBearer handler, IdentityModel, the validated-token cache",
            ["Microsoft.AspNetCore.Authentication", "Microsoft.IdentityModel.", "System.IdentityModel.", "TotService!TotService.Authentication."]),
        new("Authorization: scope policies and the SDK's tool authorization filter",
            ["Microsoft.AspNetCore.Authorization", "TotService!TotService.Authorization.", "ModelContextProtocol.AspNetCore!ModelContextProtocol.AspNetCore.AuthorizationFilterSetup"]),
        new("Rate limiting: per-client token bucket",
            ["Microsoft.AspNetCore.RateLimiting", "System.Threading.RateLimiting", "TotService!TotService.RateLimiting."]),
        new("Body guard: media type, body cap, one reading of the JSON-RPC body, tool scope, session cap",
            ["TotService!TotService.Mcp.McpRequestGuard", "TotService!TotService.Mcp.McpRequestReader", "TotService!TotService.Mcp.McpSessionLimiter"]),
        new("Request metrics, Host and Origin checks, audit",
            ["TotService!TotService.Mcp.McpRequestMetrics", "TotService!TotService.Http.", "TotService!TotService.Diagnostics."]),
        new("Tool filters and the tool: argument check, tool metrics, storage and refusal filters, whoami",
            ["TotService!TotService.Tools.", "TotService!TotService.Mcp.ToolMetricsFilter", "Bench.Baseline!"]),
        new("MCP SDK: Streamable HTTP transport, JSON-RPC, sessions, argument binding",
            ["ModelContextProtocol", "Microsoft.Extensions.AI"]),
        new("Telemetry: metrics, activities, logging, OpenTelemetry",
            ["OpenTelemetry", "System.Diagnostics.DiagnosticSource", "Microsoft.Extensions.Logging", "Microsoft.Extensions.Diagnostics", "Microsoft.Extensions.Telemetry"]),
        new("TotService, other", ["TotService!"]),
        new("Kestrel, routing and the rest of the ASP.NET Core pipeline",
            ["Microsoft.AspNetCore", "Microsoft.Extensions", "System.Net", "System.IO.Pipelines"], Generic: true),
    ];

    /// <summary>Traces both sides and adds the report section "Profile: <paramref name="title"/>"; <paramref name="stem"/> names the trace files.</summary>
    public static async Task RunAsync(BenchContext context, string title, string stem,
        (Uri Url, WrkRequest Request, int Pid) service, (Uri Url, WrkRequest Request, int Pid) baseline)
    {
        var directory = Path.Combine(RepositoryPaths.Root, "bench", ".artifacts", "profile");
        var traced = new List<(ManagedTimeProfile Profile, WrkResult Load, double AllocatedPerRequest)>();
        foreach (var (name, side) in new[] { ("totservice", service), ("baseline", baseline) })
        {
            var duration = context.Duration + TimeSpan.FromSeconds(1);
            var metrics = new Uri(side.Url, "/metrics");
            var trace = await ThreadTimeTrace.StartAsync(side.Pid, duration, Path.Combine(directory, stem + "-" + name), context.CancellationToken);
            var allocatedBefore = await ManagedAllocations.TotalBytesAsync(metrics, context.CancellationToken);
            var load = await Wrk.RunAsync(side.Url, side.Request, BenchContext.Connections, context.Duration, context.CancellationToken);
            var allocated = (await ManagedAllocations.TotalBytesAsync(metrics, context.CancellationToken) - allocatedBefore) / load.Requests;
            var profile = ManagedTimeProfile.Read(await trace, Owners);
            Console.WriteLine($"  traced {stem} {name}: {load}; {profile.TotalMilliseconds * 1000 / load.Requests:0.0} us managed thread time/request; {allocated:0} B allocated/request");
            traced.Add((profile, load, allocated));
        }

        var (serviceProfile, serviceLoad, serviceAllocated) = traced[0];
        var (baselineProfile, baselineLoad, baselineAllocated) = traced[1];
        double PerRequest(ManagedTimeProfile profile, WrkResult load, string owner) => profile.Milliseconds.GetValueOrDefault(owner) * 1000 / load.Requests;
        var table = new StringBuilder();
        table.AppendLine("Managed CPU time per request by part of the request path, from a `dotnet-trace` thread-time trace " +
            "(`dotnet-sampled-thread-time`: every managed thread about 100 times a second; native time such as socket " +
            "system calls and GC work is not in these figures) of the same whoami load on each side, run after the measured " +
            "rounds. It is thread time in managed code, not CPU time: on a saturated 2-core machine a runnable thread waiting " +
            "for a core counts too, so the totals exceed the CPU per request above, by more on the slower side. Each sample counts for the part that owns the frame nearest its leaf (JSON or collections code counts " +
            "for whoever called it). Tracing slows both processes, so compare the columns with each other, not with the rows above.");
        table.AppendLine();
        table.AppendLine("| Part of the request path | TotService (authenticated) | Baseline MCP host | Difference |");
        table.AppendLine("|---|---|---|---|");
        foreach (var owner in Owners.Select(o => o.Name).Append(ManagedTimeProfile.Other).Append(ManagedTimeProfile.Stopped))
        {
            var s = PerRequest(serviceProfile, serviceLoad, owner);
            var b = PerRequest(baselineProfile, baselineLoad, owner);
            table.AppendLine(CultureInfo.InvariantCulture, $"| {owner} | {F(s, "0.0")} us | {F(b, "0.0")} us | {F(s - b, "+0.0;-0.0;0.0")} us |");
        }
        var serviceTotal = serviceProfile.TotalMilliseconds * 1000 / serviceLoad.Requests;
        var baselineTotal = baselineProfile.TotalMilliseconds * 1000 / baselineLoad.Requests;
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| **All managed code** | **{F(serviceTotal, "0.0")} us** | **{F(baselineTotal, "0.0")} us** | **{F(serviceTotal - baselineTotal, "+0.0;-0.0;0.0")} us** |");
        table.AppendLine(CultureInfo.InvariantCulture,
            $"| Managed heap allocated per request (the service's own `/metrics`) | {F(serviceAllocated, "0")} B | {F(baselineAllocated, "0")} B | {F(serviceAllocated - baselineAllocated, "+0;-0;0")} B |");
        context.Report.Section("Profile: " + title, table.ToString());
    }
}
