using System.Diagnostics;
using AppHost.Hosting;
using AppHost.Hosting.Orchestration;
using AppHost.Hosting.Testing;
using AppHost.Tests.Infrastructure;

namespace AppHost.Tests.Integration;

/// <summary>No process outlives the app: not after dispose, not after Ctrl+C, not after kill -9 of the AppHost.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task Disposing_the_app_stops_every_process_it_started()
    {
        var testing = await DistributedApplicationTestingBuilder.CreateAsync<Program>();
        var app = await testing.BuildAsync();
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TestTimeouts.Startup);
        foreach (var resource in AppModelFixture.ProcessResources)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }
        var pids = app.ResourceNotifications.Snapshots.Select(s => s.Pid!.Value).ToList();
        Assert.Equal(3, pids.Count);
        var dataDirectory = app.Model.Options.DataDirectory;

        var stopwatch = Stopwatch.StartNew();
        await app.DisposeAsync();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopwatch.Elapsed}");
        Assert.All(pids, pid => Assert.False(ProcessInspector.IsAlive(pid), $"process {pid} is still alive"));
        Assert.False(Directory.Exists(dataDirectory), "the throw-away data folder was left behind");
    }

    [Fact]
    public async Task A_child_that_ignores_SIGTERM_is_killed_within_the_shutdown_budget()
    {
        var testing = DistributedApplicationTestingBuilder.Create();
        testing.Builder.AddExecutable("stubborn", "/bin/sh", Path.GetTempPath(), "-c", "trap '' TERM; while true; do sleep 1; done");
        var app = await testing.BuildAsync();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var running = await app.ResourceNotifications
            .WaitForResourceAsync("stubborn", s => s.State == ResourceState.Running, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Short, TestContext.Current.CancellationToken);
        var pid = running.Single().Pid!.Value;

        var stopwatch = Stopwatch.StartNew();
        await app.DisposeAsync();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopwatch.Elapsed}");
        Assert.False(ProcessInspector.IsAlive(pid));
    }

    [Fact]
    public async Task Killing_the_apphost_with_SIGKILL_takes_its_children_with_it()
    {
        await using var apphost = await AppHostProcess.StartAsync();
        // Prometheus runs as a fourth child when installed (AppHost/Monitoring): it must die with the others.
        var children = await apphost.WaitForHealthyChildrenAsync(File.Exists(AppHost.Monitoring.PrometheusOptions.DebianBinary) ? 4 : 3);

        apphost.Process.Kill();
        foreach (var child in children)
        {
            Assert.True(await ProcessInspector.WaitForExitAsync(child, TimeSpan.FromSeconds(5)), $"child {child} outlived the killed AppHost");
        }
    }

    [Fact]
    public async Task Ctrl_C_stops_everything_within_ten_seconds()
    {
        await using var apphost = await AppHostProcess.StartAsync();
        // Prometheus runs as a fourth child when installed (AppHost/Monitoring): it must die with the others.
        var children = await apphost.WaitForHealthyChildrenAsync(File.Exists(AppHost.Monitoring.PrometheusOptions.DebianBinary) ? 4 : 3);

        var stopwatch = Stopwatch.StartNew();
        apphost.SendSigInt();
        await apphost.Process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopwatch.Elapsed}");
        Assert.Equal(0, apphost.Process.ExitCode);
        Assert.All(children, child => Assert.False(ProcessInspector.IsAlive(child), $"child {child} is still alive"));
        Assert.Contains("All resources stopped.", apphost.Output, StringComparison.Ordinal);
    }
}
