namespace AppHost.Tests.CommandLine;

/// <summary>A killed AppHost (SIGKILL, no chance to clean up): nothing it started survives it.</summary>
public sealed class AppHostKillTests
{
    [Fact]
    public async Task After_SIGKILL_of_the_apphost_nothing_it_started_survives()
    {
        await using var apphost = AppHostProcess.Start("--AppHost:RandomPorts=true");
        await apphost.WaitForOutputAsync("MCP endpoint", AppHostProcess.Startup);
        var started = apphost.MarkedProcesses().Count;
        Assert.True(started >= 8, $"expected the orchestrator, dashboard, redis and three services: {started}");

        apphost.Signal("KILL");
        var gone = await apphost.WaitForNoMarkedProcessAsync(TimeSpan.FromSeconds(90));
        TestContext.Current.TestOutputHelper?.WriteLine($"SIGKILL: all {started} processes were gone after {gone.TotalSeconds:F1} s");
    }
}
