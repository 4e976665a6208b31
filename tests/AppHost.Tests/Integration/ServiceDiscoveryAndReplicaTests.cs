using AppHost.Hosting;
using AppHost.Hosting.Orchestration;
using AppHost.Hosting.Testing;
using AppHost.Tests.Infrastructure;

namespace AppHost.Tests.Integration;

/// <summary>WithReference + WithReplicas: every replica runs on its own port and a dependant resolves them by name.</summary>
public sealed class ServiceDiscoveryAndReplicaTests
{
    private static string ProbeProject => Path.Combine(DistributedApplicationBuilder.RepositoryRoot, "tests", "TestAssets", "DiscoveryProbe", "DiscoveryProbe.csproj");

    [Fact]
    public async Task A_dependant_resolves_a_replicated_service_by_name()
    {
        var testing = DistributedApplicationTestingBuilder.Create();
        var target = testing.Builder.AddProject("target", ProbeProject).WithHttpHealthCheck("/health").WithReplicas(2);
        testing.Builder.AddProject("client", ProbeProject).WithHttpHealthCheck("/health").WithReference(target).WaitFor(target);

        await using var app = await testing.BuildAsync();
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var timeout = new CancellationTokenSource(TestTimeouts.Startup);
        var replicas = await app.ResourceNotifications.WaitForResourceHealthyAsync("target", timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("client", timeout.Token);

        // Two healthy replicas, two processes, two ports.
        Assert.Equal(2, replicas.Count);
        Assert.Equal(["target-0", "target-1"], replicas.Select(r => r.InstanceName));
        Assert.Equal(2, replicas.Select(r => r.Pid).Distinct().Count());
        var endpoints = app.GetEndpoints("target");
        Assert.Equal(2, endpoints.Select(e => e.Port).Distinct().Count());

        // Both replicas are published to the dependant for discovery.
        var client = app.ResourceNotifications.SnapshotsOf("client").Single();
        var environment = ProcessInspector.Environment(client.Pid!.Value);
        Assert.Equal(endpoints[0].ToString().TrimEnd('/'), environment["services__target__http__0"]);
        Assert.Equal(endpoints[1].ToString().TrimEnd('/'), environment["services__target__http__1"]);

        // And http://target really resolves from inside the dependant.
        using var http = app.CreateHttpClient("client");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("200 Healthy", await http.GetStringAsync(new Uri("/resolve/target", UriKind.Relative), timeout.Token));
        }
    }

    [Fact]
    public async Task A_resource_waits_for_its_dependency_to_be_healthy()
    {
        var testing = DistributedApplicationTestingBuilder.Create();
        var slow = testing.Builder.AddExecutable("slow", "/bin/sh", Path.GetTempPath(), "-c", "sleep 600");
        // No health endpoint on a sleeping shell: give it a probe that never succeeds.
        slow.Resource.HealthCheckPath = "/never";
        testing.Builder.AddProject("client", ProbeProject).WithHttpHealthCheck("/health").WaitFor(slow);

        await using var app = await testing.BuildAsync();
        await app.StartAsync(TestContext.Current.CancellationToken);
        await app.ResourceNotifications.WaitForResourceAsync("slow", s => s.State == ResourceState.Running, TestContext.Current.CancellationToken)
            .WaitAsync(TestTimeouts.Short, TestContext.Current.CancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);

        var client = app.ResourceNotifications.SnapshotsOf("client").Single();
        Assert.Equal(ResourceState.Waiting, client.State);
        Assert.Null(client.Pid);
    }
}
