using System.Net;
using AppHost.Hosting.Orchestration;
using AppHost.Tests.Infrastructure;
using StackExchange.Redis;

namespace AppHost.Tests.Integration;

/// <summary>The whole app model from Program.cs, started through the testing API, checked from outside.</summary>
public abstract class AppModelTests<TFixture>(TFixture fixture) where TFixture : AppModelFixture
{
    private void RequireApp()
    {
        if (fixture.UnavailableReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    [Fact]
    public void Every_resource_is_running_and_healthy()
    {
        RequireApp();
        var snapshots = fixture.App.ResourceNotifications.Snapshots;
        Assert.Equal(AppModelFixture.ProcessResources.Order(), snapshots.Select(s => s.Resource).Order());
        Assert.All(snapshots, s =>
        {
            Assert.Equal(ResourceState.Running, s.State);
            Assert.Equal(HealthStatus.Healthy, s.Health);
            Assert.True(s.Pid is > 0 && ProcessInspector.IsAlive(s.Pid.Value), $"{s.InstanceName} has no live process");
        });
    }

    [Theory]
    [InlineData("keyservice", "/health")]
    [InlineData("keyservice", "/alive")]
    [InlineData("totservice", "/health")]
    [InlineData("totservice", "/alive")]
    public async Task Health_endpoints_answer_with_the_status_only(string resource, string path)
    {
        RequireApp();
        using var http = fixture.App.CreateHttpClient(resource);
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("keyservice")]
    [InlineData("totservice")]
    public async Task Metrics_endpoint_serves_prometheus_text(string resource)
    {
        RequireApp();
        using var http = fixture.App.CreateHttpClient(resource);
        // One ordinary request (probes are excluded from HTTP metrics) so the server histogram has a sample.
        (await http.GetAsync(new Uri("/no-such-page", UriKind.Relative), TestContext.Current.CancellationToken)).Dispose();
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", metrics, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_connection_string_works_and_requires_the_password()
    {
        RequireApp();
        var connectionString = await fixture.App.GetConnectionStringAsync("redis");
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(connectionString))
        {
            var latency = await redis.GetDatabase().PingAsync();
            Assert.True(latency < TimeSpan.FromSeconds(5));
        }

        // Without AUTH the server refuses commands: asked in plain RESP so the answer is the server's own words.
        using var anonymous = new System.Net.Sockets.TcpClient();
        await anonymous.ConnectAsync("127.0.0.1", fixture.App.GetEndpoint("redis").Port, TestContext.Current.CancellationToken);
        var stream = anonymous.GetStream();
        await stream.WriteAsync("*1\r\n$4\r\nPING\r\n"u8.ToArray(), TestContext.Current.CancellationToken);
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        var reply = System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        Assert.StartsWith("-NOAUTH", reply, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_requested_redis_server_is_the_one_running()
    {
        RequireApp();
        var redis = fixture.App.ResourceNotifications.SnapshotsOf("redis").Single();
        var commandLine = ProcessInspector.CommandLine(redis.Pid!.Value);
        Assert.Contains(fixture.RedisServer == "garnet" ? "GarnetServer.dll" : "redis-server", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.App.Resolve(fixture.App.Model.GetResource<AppHost.Hosting.Model.ParameterResource>("redis-password")), commandLine, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("keyservice")]
    [InlineData("totservice")]
    public void Projects_get_the_aspire_environment(string resource)
    {
        RequireApp();
        var snapshot = fixture.App.ResourceNotifications.SnapshotsOf(resource).Single();
        var environment = ProcessInspector.Environment(snapshot.Pid!.Value);
        var endpoint = fixture.App.GetEndpoint(resource);

        Assert.Equal($"http://localhost:{endpoint.Port}", environment["ASPNETCORE_URLS"]);
        Assert.Equal("Development", environment["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("simple", environment["LOGGING__CONSOLE__FORMATTERNAME"]);
        Assert.Equal(resource, environment["OTEL_SERVICE_NAME"]);
        Assert.StartsWith("service.instance.id=", environment["OTEL_RESOURCE_ATTRIBUTES"], StringComparison.Ordinal);
        Assert.Equal("in_memory", environment["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"]);
        Assert.False(environment.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"), "OTLP must only be set when a collector is configured");

        var redisPort = fixture.App.GetEndpoint("redis").Port;
        Assert.Matches($"^localhost:{redisPort},password=.+$", environment["ConnectionStrings__redis"]);
        if (resource == "totservice")
        {
            Assert.Equal(fixture.App.GetEndpoint("keyservice").ToString().TrimEnd('/'), environment["services__keyservice__http__0"]);
        }
    }
}

public sealed class GarnetAppModelTests(GarnetAppModelFixture fixture)
    : AppModelTests<GarnetAppModelFixture>(fixture), IClassFixture<GarnetAppModelFixture>;

public sealed class RedisServerAppModelTests(RedisServerAppModelFixture fixture)
    : AppModelTests<RedisServerAppModelFixture>(fixture), IClassFixture<RedisServerAppModelFixture>;
