using System.Text;
using AppModelTesting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bench.Runner.Infrastructure;

/// <summary>
/// The AppHost's real app model (AppHost/Program.cs) through Aspire.Hosting.Testing, in this configuration's build:
/// N unproxied instances of each service (so wrk talks to the service's own port, not to the orchestrator's proxy),
/// ports the orchestrator picks, no dashboard (its OTLP collection would share the two cores with the load), and the
/// bench settings below. Everything else is exactly what <c>dotnet run --project AppHost</c> runs.
/// </summary>
public sealed class BenchApp : TestAppModel
{
    /// <summary>
    /// Settings that differ from the defaults, each for a reason written in docs/BENCHMARKS.md:
    /// rotation compressed to seconds (so many rotations fit in a run), the per-client rate limit lifted (else wrk
    /// measures the limiter), and TotService's unknown-kid refresh interval at its minimum (rotations seconds apart).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> BenchSettings = new Dictionary<string, IReadOnlyDictionary<string, string>>
    {
        ["keyservice"] = new Dictionary<string, string>
        {
            ["KeyService__RotationInterval"] = "1.00:00:00",
            ["KeyService__PropagationTime"] = "00:00:01",
            ["KeyService__JwksMaxAge"] = "00:00:01",
            ["KeyService__JwksRefreshCheckInterval"] = "00:00:01",
            ["KeyService__TokenLifetime"] = "00:05:00",
            ["KeyService__GraceTime"] = "00:05:01",
        },
        ["totservice"] = new Dictionary<string, string>
        {
            ["TotService__RateLimit__TokenLimit"] = "1000000",
            ["TotService__RateLimit__TokensPerPeriod"] = "1000000",
            ["TotService__RateLimit__ReplenishmentPeriod"] = "00:00:01",
            ["TotService__JwksRefreshInterval"] = "00:00:00.100",
        },
    };

    private readonly int _instances;
    private readonly IReadOnlyList<(string Resource, string Name, string Value)> _extraSettings;

    private BenchApp(int instances, IReadOnlyList<(string Resource, string Name, string Value)> extraSettings)
    {
        _instances = instances;
        _extraSettings = extraSettings;
    }

    public override int KeyServiceInstances => _instances;

    public override int TotServiceInstances => _instances;

    protected override bool EnableAdminClient => true;

    protected override IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ServiceSettings =>
        BenchSettings.Keys.Concat(_extraSettings.Select(s => s.Resource)).Distinct().ToDictionary(
            service => service,
            service => (IReadOnlyDictionary<string, string>)(BenchSettings.GetValueOrDefault(service) ?? new Dictionary<string, string>())
                .Concat(_extraSettings.Where(s => s.Resource == service).Select(s => KeyValuePair.Create(s.Name, s.Value)))
                .GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value));

    // The services' own output and the orchestrator's health probes during start-up would bury the runner's lines.
    protected override void Configure(IDistributedApplicationTestingBuilder builder) =>
        builder.Services.AddLogging(logging => logging
            .AddFilter("AppHost.Lifecycle", LogLevel.Warning)
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));

    /// <summary>Starts the model with <paramref name="extraSettings"/> (from <c>--set</c>) on top of <see cref="BenchSettings"/>.</summary>
    public static async Task<BenchApp> StartAsync(int instances, IReadOnlyList<(string Resource, string Name, string Value)> extraSettings, CancellationToken cancellationToken)
    {
        var app = new BenchApp(instances, extraSettings);
        try
        {
            await app.InitializeAsync().AsTask().WaitAsync(cancellationToken);
            Console.WriteLine($"App model healthy in {app.StartupTime.TotalSeconds:0.0} s: {string.Join(", ", app.KeyServices.Concat(app.TotServices).Select(r => $"{r} {app.Endpoint(r)}"))}");
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>The resources of <c>keyservice</c> or <c>totservice</c>, instance 0 first.</summary>
    public IReadOnlyList<string> Instances(string service) => service switch
    {
        "keyservice" => KeyServices,
        "totservice" => TotServices,
        _ => throw new ArgumentException($"'{service}' is not a service of the app model.", nameof(service)),
    };

    public Uri Endpoint(string service, int instance) => Endpoint(Instances(service)[instance]);

    public IReadOnlyList<Uri> Endpoints(string service) => [.. Instances(service).Select(resource => Endpoint(resource))];

    /// <summary>The service process itself, not the <c>dotnet run</c> the orchestrator starts it through.</summary>
    public int PidOf(string service, int instance) => Process(Instances(service)[instance]).ServicePid;

    public static string Basic(string clientId, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}"));

    /// <summary>A token for the development client from KeyService's real token endpoint.</summary>
    public Task<string> GetTokenAsync(CancellationToken cancellationToken, int keyserviceInstance = 0) =>
        GetTokenAsync("tot:read tot:write", keyserviceInstance, cancellationToken);
}
