using System.Net;
using System.Net.Sockets;
using AppHost.Hosting;
using AppHost.Hosting.Orchestration;
using AppHost.Hosting.Testing;
using AppHost.Tests.Infrastructure;

namespace AppHost.Tests.Integration;

/// <summary>Crashes are reported with their exit code and last output, restarted when asked, and ports in use are explained.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task A_process_that_exits_is_reported_with_its_exit_code_and_last_output()
    {
        var testing = DistributedApplicationTestingBuilder.Create();
        testing.Builder.AddExecutable("crasher", "/bin/sh", Path.GetTempPath(), "-c", "echo about to fail; exit 3");
        await using var app = await testing.BuildAsync();
        await app.StartAsync(TestContext.Current.CancellationToken);

        var exited = (await app.ResourceNotifications
            .WaitForResourceAsync("crasher", s => s.State == ResourceState.Exited, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Short, TestContext.Current.CancellationToken)).Single();

        Assert.Equal(3, exited.ExitCode);
        Assert.Equal("exited with code 3", exited.Message);
        Assert.Equal(0, exited.Restarts);
        var report = app.ResourceLogs.GetLines("crasher")[^1];
        Assert.True(report.IsError);
        Assert.Contains("exited with code 3", report.Text, StringComparison.Ordinal);
        Assert.Contains("about to fail", report.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_crashing_process_is_restarted_with_backoff_when_the_model_asks()
    {
        var testing = DistributedApplicationTestingBuilder.Create();
        testing.Builder.AddExecutable("flaky", "/bin/sh", Path.GetTempPath(), "-c", "exit 7").WithRestartOnFailure(maxRestarts: 2);
        await using var app = await testing.BuildAsync();
        await app.StartAsync(TestContext.Current.CancellationToken);

        var seen = new List<ResourceSnapshot>();
        app.ResourceNotifications.Changed += s => { lock (seen) { seen.Add(s); } };
        var final = (await app.ResourceNotifications
            .WaitForResourceAsync("flaky", s => s.State == ResourceState.Exited && s.Restarts == 2, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Short, TestContext.Current.CancellationToken)).Single();

        Assert.Equal(7, final.ExitCode);
        lock (seen)
        {
            Assert.Contains(seen, s => s.State == ResourceState.Restarting && s.Message!.Contains("restart 1 of 2", StringComparison.Ordinal));
            Assert.Contains(seen, s => s.State == ResourceState.Restarting && s.Message!.Contains("restart 2 of 2", StringComparison.Ordinal));
        }
        // No third attempt: the policy allows two restarts.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        Assert.Equal(2, app.ResourceNotifications.SnapshotsOf("flaky").Single().Restarts);
    }

    [Fact]
    public async Task A_stopped_replica_can_be_started_again_on_its_port()
    {
        var testing = DistributedApplicationTestingBuilder.Create();
        testing.Builder.AddExecutable("worker", "/bin/sh", Path.GetTempPath(), "-c", "exec sleep 600").WithReplicas(2);
        await using var app = await testing.BuildAsync();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var before = await app.ResourceNotifications
            .WaitForResourceAsync("worker", s => s.State == ResourceState.Running, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Short, TestContext.Current.CancellationToken);
        var port = app.GetEndpoint("worker", 1).Port;

        await app.StopResourceAsync("worker", replica: 1);
        var stopped = app.ResourceNotifications.SnapshotsOf("worker")[1];
        Assert.False(ProcessInspector.IsAlive(before[1].Pid!.Value));
        Assert.True(ProcessInspector.IsAlive(before[0].Pid!.Value), "only the requested replica stops");

        await app.StartResourceAsync("worker", replica: 1);
        var after = await app.ResourceNotifications
            .WaitForResourceAsync("worker", s => s.State == ResourceState.Running, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Short, TestContext.Current.CancellationToken);
        Assert.NotEqual(before[1].Pid, after[1].Pid);
        Assert.Equal(before[0].Pid, after[0].Pid);
        Assert.Equal(port, app.GetEndpoint("worker", 1).Port);
        Assert.NotEqual(ResourceState.Running, stopped.State);
    }

    [Fact]
    public async Task A_port_in_use_is_refused_with_a_clear_message()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var testing = DistributedApplicationTestingBuilder.Create();
        testing.Builder.Options.RandomPorts = false;
        testing.Builder.AddExecutable("web", "/bin/sh", Path.GetTempPath(), "-c", "sleep 60").WithHttpEndpoint(port: port);
        await using var app = await testing.BuildAsync();

        var error = await Assert.ThrowsAsync<PortInUseException>(() => app.StartAsync(TestContext.Current.CancellationToken));
        Assert.Equal($"Port {port} for 'web' is already in use by another process. Stop that process, or start the AppHost with AppHost__RandomPorts=true (or change the port in AppHost/Program.cs).", error.Message);
    }

    [Fact]
    public async Task The_apphost_reports_a_busy_port_without_a_stack_trace()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        // Redis is the first resource; pin it to the busy port.
        await using var apphost = await AppHostProcess.StartAsync(("AppHost__RandomPorts", "false"), ("AppHost__Ports__redis", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await apphost.Process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Short, TestContext.Current.CancellationToken);
        Assert.Equal(1, apphost.Process.ExitCode);
        Assert.Contains($"AppHost cannot start: Port {port} for 'redis' is already in use", apphost.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", apphost.Output, StringComparison.Ordinal);
    }
}
