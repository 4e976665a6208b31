using AppHost.Hosting;
using AppHost.Hosting.Model;
using AppHost.Hosting.Testing;

namespace AppHost.Tests.Infrastructure;

/// <summary>The AppHost's real app model, started once per test class with the requested Redis-protocol server.</summary>
public abstract class AppModelFixture(string redisServer) : IAsyncLifetime
{
    public static readonly string[] ProcessResources = ["redis", "keyservice", "totservice"];

    private DistributedApplication? _app;

    public string RedisServer { get; } = redisServer;

    public DistributedApplication App => _app ?? throw new InvalidOperationException(UnavailableReason ?? "The app was not started.");

    public string? UnavailableReason { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (RedisServer == "redis-server" && Hosting.Orchestration.RedisServerLocator.FindRedisServer() is null)
        {
            UnavailableReason = "redis-server is not installed here (.ci/run installs it in CI).";
            return;
        }

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();
        builder.Builder.GetResource<RedisResource>("redis").Server = RedisServer;
        _app = await builder.BuildAsync();
        await _app.StartAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Startup);
        foreach (var resource in ProcessResources)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

public sealed class GarnetAppModelFixture() : AppModelFixture("garnet");

public sealed class RedisServerAppModelFixture() : AppModelFixture("redis-server");
