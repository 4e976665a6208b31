using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AppHost.Lifecycle;

namespace AppHost.Tests.CommandLine;

/// <summary>What a user at a terminal sees: a busy port, Ctrl+C, a killed AppHost, and running again straight away.</summary>
public sealed class AppHostCommandLineTests
{
    private static readonly TimeSpan Startup = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task A_busy_port_stops_the_apphost_with_one_line_naming_the_port_and_the_setting()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        await using var apphost = AppHostProcess.Start($"--AppHost:KeyServicePort={port}", "--AppHost:BusyPortWait=00:00:01");
        await apphost.WaitForExitAsync(TimeSpan.FromMinutes(2), "refusing the busy port");

        Assert.NotEqual(0, apphost.Process.ExitCode);
        var lines = apphost.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Contains($"Port {port} (keyservice instance 0) is already in use", line, StringComparison.Ordinal);
        Assert.Contains("--AppHost:KeyServicePort", line, StringComparison.Ordinal);
        Assert.Contains("--AppHost:RandomPorts=true", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_services_before_the_apphost_returns_and_a_second_run_gets_the_same_ports()
    {
        var keyservicePort = FreePortWithSibling();
        var totservicePort = FreePortWithSibling();
        string[] ports = [$"--AppHost:KeyServicePort={keyservicePort}", $"--AppHost:TotServicePort={totservicePort}", "--AppHost:BusyPortWait=00:00:00"];

        await using var first = AppHostProcess.Start(ports);
        await first.WaitForOutputAsync("MCP endpoint", Startup);
        var started = first.MarkedProcesses().Count;
        Assert.True(started >= 8, $"expected the orchestrator, dashboard, redis and three services: {started}");

        var clock = Stopwatch.StartNew();
        first.Signal("INT");
        await first.WaitForExitAsync(TimeSpan.FromSeconds(60), "stopping on Ctrl+C");
        var returned = clock.Elapsed;

        // Straight away, on the same fixed ports, with no grace for a busy port: the services must have let them go.
        await using var second = AppHostProcess.Start(ports);
        var gone = await first.WaitForNoMarkedProcessAsync(TimeSpan.FromSeconds(60));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"Ctrl+C: the AppHost returned after {returned.TotalSeconds:F1} s; all {started} processes were gone {(returned + gone).TotalSeconds:F1} s after Ctrl+C");
        await second.WaitForOutputAsync("MCP endpoint", Startup);
        Assert.Contains($"http://localhost:{totservicePort}/mcp", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_SIGKILL_of_the_apphost_nothing_it_started_survives()
    {
        await using var apphost = AppHostProcess.Start("--AppHost:RandomPorts=true");
        await apphost.WaitForOutputAsync("MCP endpoint", Startup);
        var started = apphost.MarkedProcesses().Count;
        Assert.True(started >= 8, $"expected the orchestrator, dashboard, redis and three services: {started}");

        apphost.Signal("KILL");
        var gone = await apphost.WaitForNoMarkedProcessAsync(TimeSpan.FromSeconds(90));
        TestContext.Current.TestOutputHelper?.WriteLine($"SIGKILL: all {started} processes were gone after {gone.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task An_unknown_publisher_stops_the_apphost_within_10_s_with_a_message_listing_the_known_publishers()
    {
        var clock = Stopwatch.StartNew();
        await using var apphost = AppHostProcess.Start("--publisher", "kubernetes");
        await apphost.WaitForExitAsync(TimeSpan.FromSeconds(10), "refusing --publisher kubernetes");
        var elapsed = clock.Elapsed;

        Assert.NotEqual(0, apphost.Process.ExitCode);
        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"the AppHost took {elapsed.TotalSeconds:F1} s to refuse");
        Assert.Contains("Unknown publisher 'kubernetes': the known publishers are manifest", apphost.Output, StringComparison.Ordinal);
    }

    /// <summary>A free port whose "+10" sibling (the second KeyService instance's port) is free too.</summary>
    private static int FreePortWithSibling()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var port = FreePort.Next();
            if (port + 10 < 65535 && !FreePort.IsInUse(port + 10))
            {
                return port;
            }
        }
        throw new InvalidOperationException("No free port pair.");
    }
}
