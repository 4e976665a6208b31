using System.Diagnostics;
using AppHost.Lifecycle;

namespace AppHost.Tests.CommandLine;

/// <summary>
/// How a user stops the AppHost at a terminal. Ctrl+C: the services stop before the AppHost returns, and running again
/// straight away works. SIGKILL (no chance to clean up): nothing it started survives it. One test, because the run
/// started after Ctrl+C is the one killed: each whole AppHost start costs tens of seconds of the machine's two cores.
/// </summary>
public sealed class AppHostStopTests
{
    [Fact]
    public async Task Ctrl_C_stops_the_services_before_the_apphost_returns_a_second_run_gets_the_same_ports_and_after_its_SIGKILL_nothing_survives()
    {
        var keyservicePort = FreePortWithSibling();
        var totservicePort = FreePortWithSibling();
        string[] ports = [$"--AppHost:KeyServicePort={keyservicePort}", $"--AppHost:TotServicePort={totservicePort}", "--AppHost:BusyPortWait=00:00:00"];

        await using var first = AppHostProcess.Start(ports);
        await first.WaitForOutputAsync("MCP endpoint", AppHostProcess.Startup);
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
        await second.WaitForOutputAsync("MCP endpoint", AppHostProcess.Startup);
        Assert.Contains($"http://localhost:{totservicePort}/mcp", second.Output, StringComparison.Ordinal);
        await AssertSignInLineNamesThePasswordFileAsync(second);

        var running = second.MarkedProcesses().Count;
        Assert.True(running >= 8, $"expected the orchestrator, dashboard, redis and three services: {running}");
        second.Signal("KILL");
        var killedGone = await second.WaitForNoMarkedProcessAsync(TimeSpan.FromSeconds(90));
        TestContext.Current.TestOutputHelper?.WriteLine($"SIGKILL: all {running} processes were gone after {killedGone.TotalSeconds:F1} s");
    }

    /// <summary>
    /// A Development run tells who to sign in as from an MCP client and which file holds the password (only its owner
    /// may read it); the password itself is never printed.
    /// </summary>
    private static async Task AssertSignInLineNamesThePasswordFileAsync(AppHostProcess apphost)
    {
        await apphost.WaitForOutputAsync("Sign in from an MCP client", TimeSpan.FromSeconds(30));
        var line = apphost.Output.Split('\n').Single(l => l.Contains("Sign in from an MCP client", StringComparison.Ordinal));
        Assert.Contains(" as developer, password: cat ", line, StringComparison.Ordinal);
        var file = line[(line.IndexOf("password: cat ", StringComparison.Ordinal) + "password: cat ".Length)..].Trim();
        Assert.Equal(apphost.DevUserPassword, await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
        Assert.DoesNotContain(apphost.DevUserPassword, apphost.Output, StringComparison.Ordinal);
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
