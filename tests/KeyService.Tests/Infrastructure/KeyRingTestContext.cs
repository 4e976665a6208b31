using KeyService.Diagnostics;
using KeyService.Keys;
using KeyService.Options;
using KeyService.Storage;
using KeyService.Tokens;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace KeyService.Tests.Infrastructure;

/// <summary>
/// KeyService's key ring and token issuer wired as in production (file store) but on a <see cref="FakeTimeProvider"/>,
/// with the background service not started: each <see cref="TickAsync"/> is one of its ticks.
/// </summary>
public sealed class KeyRingTestContext : IDisposable
{
    private readonly IHost _host;

    public KeyRingTestContext(FakeTimeProvider time, IDictionary<string, string?> settings)
    {
        Time = time;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddMetrics();
        builder.Services.AddLogging();
        builder.AddKeyServiceOptions();
        builder.AddKeyServiceDiagnostics();
        builder.AddKeyRingStorage();
        builder.AddKeyRing();
        builder.AddTokenIssuance();
        _host = builder.Build();
        Rotation = _host.Services.GetServices<IHostedService>().OfType<KeyRotationService>().Single();
    }

    public FakeTimeProvider Time { get; }

    public KeyRotationService Rotation { get; }

    public IServiceProvider Services => _host.Services;

    public KeyRingCache Cache => Services.GetRequiredService<KeyRingCache>();

    public KeyRingManager Manager => Services.GetRequiredService<KeyRingManager>();

    public string Jwks => System.Text.Encoding.UTF8.GetString(Cache.Current.Jwks);

    public Task TickAsync() => Rotation.RunOnceAsync(TestContext.Current.CancellationToken);

    public IssuedToken Issue() =>
        Services.GetRequiredService<AccessTokenIssuer>().Issue(TestSettings.DevClient, ["tot:read"], TestSettings.McpAudience)
        ?? throw new InvalidOperationException("No active key.");

    /// <summary>Lifecycle settings scaled down (12 h rotation) so simulated days take few steps.</summary>
    public static Dictionary<string, string?> FastSettings(string? dataDirectory = null)
    {
        var settings = TestSettings.Create(dataDirectory: dataDirectory);
        settings["KeyService:RotationInterval"] = "12:00:00";
        settings["KeyService:PropagationTime"] = "01:00:00";
        settings["KeyService:GraceTime"] = "02:00:00";
        settings["KeyService:TokenLifetime"] = "00:15:00";
        settings["KeyService:JwksMaxAge"] = "01:00:00";
        settings["KeyService:JwksRefreshCheckInterval"] = "00:05:00";
        return settings;
    }

    public void Dispose() => _host.Dispose();
}
