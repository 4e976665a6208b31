using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AppHost.Hosting;
using AppHost.Hosting.Model;
using AppHost.Hosting.Testing;

namespace Bench.Runner.Infrastructure;

/// <summary>
/// The AppHost's real app model (Program.cs) in this configuration's build: two replicas of each service, random
/// ports, and the bench settings below. Everything else is exactly what <c>dotnet run --project AppHost</c> runs.
/// </summary>
public sealed class BenchApp : IAsyncDisposable
{
    public const string AdminClientId = "bench-admin";

    /// <summary>
    /// Settings that differ from the defaults, each for a reason written in docs/BENCHMARKS.md:
    /// rotation compressed to seconds (so many rotations fit in a run), the per-client rate limit lifted (else wrk
    /// measures the limiter), and TotService's unknown-kid refresh interval at its minimum (rotations seconds apart).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Settings = new Dictionary<string, IReadOnlyDictionary<string, string>>
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

    private BenchApp(DistributedApplication app, string adminSecret)
    {
        App = app;
        AdminSecret = adminSecret;
    }

    public DistributedApplication App { get; }

    public string AdminSecret { get; }

    public string DevClientSecret => App.Resolve(App.Model.GetResource<ParameterResource>("dev-client-secret"));

    public string KeyEncryptionKey => App.Resolve(App.Model.GetResource<ParameterResource>("keyservice-kek"));

    public Uri McpEndpoint(int replica = 0) => new(App.GetEndpoint("totservice", replica), "/mcp");

    /// <summary>The audience every TotService replica validates: replica 0's MCP URL, as the AppHost configures it.</summary>
    public string Audience => McpEndpoint(0).ToString();

    public string Issuer { get; private set; } = "";

    public static async Task<BenchApp> StartAsync(int replicas, CancellationToken cancellationToken) =>
        await StartAsync(replicas, [], cancellationToken);

    /// <summary>Starts the model with <paramref name="extraSettings"/> (from <c>--set</c>) on top of <see cref="Settings"/>.</summary>
    public static async Task<BenchApp> StartAsync(int replicas, IReadOnlyList<(string Resource, string Name, string Value)> extraSettings, CancellationToken cancellationToken)
    {
        // Any type of the AppHost assembly names its entry point; `Program` is ambiguous here (TotService has one too).
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<DistributedApplication>();
        builder.WithReplicas("keyservice", replicas).WithReplicas("totservice", replicas);
        foreach (var (resource, settings) in Settings)
        {
            foreach (var (name, value) in settings)
            {
                builder.WithEnvironment(resource, name, value);
            }
        }
        foreach (var (resource, name, value) in extraSettings)
        {
            builder.WithEnvironment(resource, name, value);
        }

        // An administrator client for POST /admin/keys/rotate: audience = KeyService's own issuer URL.
        var adminSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        builder.WithEnvironment("keyservice", "KeyService__Clients__1__ClientId", AdminClientId)
            .WithEnvironment("keyservice", "KeyService__Clients__1__Secret", adminSecret)
            .WithEnvironment("keyservice", "KeyService__Clients__1__AllowedScopes__0", "keys:admin");
        var keyservice = builder.Builder.GetResource<Resource>("keyservice");
        keyservice.Environment["KeyService__Clients__1__AllowedAudiences__0"] = keyservice.Environment["KeyService__Issuer"];

        var app = await builder.BuildAsync();
        var bench = new BenchApp(app, adminSecret);
        try
        {
            await app.StartAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            foreach (var resource in new[] { "redis", "keyservice", "totservice" })
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
            }
            bench.Issuer = app.Resolve(keyservice.Environment["KeyService__Issuer"]);
            return bench;
        }
        catch
        {
            await bench.DisposeAsync();
            throw;
        }
    }

    public int PidOf(string resource, int replica) =>
        App.ResourceNotifications.SnapshotsOf(resource).Single(s => s.Replica == replica).Pid
        ?? throw new InvalidOperationException($"{resource} replica {replica} has no process.");

    public static FormUrlEncodedContent TokenForm(string resource, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["resource"] = resource };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        return new FormUrlEncodedContent(form);
    }

    public static string Basic(string clientId, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}"));

    /// <summary>A token for the development client from KeyService's real token endpoint.</summary>
    public Task<string> GetTokenAsync(CancellationToken cancellationToken, int keyserviceReplica = 0) =>
        RequestTokenAsync("dev", DevClientSecret, Audience, "tot:read tot:write", keyserviceReplica, cancellationToken);

    public Task<string> GetAdminTokenAsync(CancellationToken cancellationToken) =>
        RequestTokenAsync(AdminClientId, AdminSecret, Issuer, "keys:admin", 0, cancellationToken);

    private async Task<string> RequestTokenAsync(string clientId, string secret, string resource, string scope, int replica, CancellationToken cancellationToken)
    {
        using var http = App.CreateHttpClient("keyservice", replica);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = TokenForm(resource, scope) };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(Basic(clientId, secret));
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"token request for {clientId} failed: {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}
