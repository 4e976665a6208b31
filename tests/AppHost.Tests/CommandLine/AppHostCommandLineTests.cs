using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AppHost.Tests.CommandLine;

/// <summary>
/// What a user at a terminal sees when the AppHost refuses to start: a busy port, an unknown publisher. Stopping a
/// running AppHost (Ctrl+C, SIGKILL) is <see cref="AppHostStopTests"/>, a class of its own so it runs beside these.
/// </summary>
public sealed class AppHostCommandLineTests
{
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
}
