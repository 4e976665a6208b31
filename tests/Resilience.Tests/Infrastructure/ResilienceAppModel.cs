using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AppHost.Hosting;
using AppHost.Hosting.Model;
using AppHost.Hosting.Testing;

namespace Resilience.Tests.Infrastructure;

/// <summary>
/// The AppHost's real app model with two replicas of each service, random ports, a bench admin client (for
/// rotations), the per-client rate limit lifted (the load loop would otherwise be throttled) and key rotation
/// compressed to seconds (so a rotation completes within a test). Processes are killed and restarted through it.
/// </summary>
public class ResilienceAppModel : IAsyncLifetime
{
    public const string AdminClientId = "resilience-admin";
    public static readonly TimeSpan PropagationTime = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(120);

    private readonly string _adminSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app model has not started.");

    public virtual int Replicas => 2;

    public string Issuer { get; private set; } = "";

    public Uri McpEndpoint(int replica = 0) => new(App.GetEndpoint("totservice", replica), "/mcp");

    public string Audience => McpEndpoint(0).ToString();

    public string DevClientSecret => App.Resolve(App.Model.GetResource<ParameterResource>("dev-client-secret"));

    public async ValueTask InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();
        builder.WithReplicas("keyservice", Replicas).WithReplicas("totservice", Replicas);
        builder.WithEnvironment("keyservice", "KeyService__RotationInterval", "1.00:00:00")
            .WithEnvironment("keyservice", "KeyService__PropagationTime", PropagationTime.ToString())
            .WithEnvironment("keyservice", "KeyService__JwksMaxAge", PropagationTime.ToString())
            .WithEnvironment("keyservice", "KeyService__JwksRefreshCheckInterval", "00:00:01")
            .WithEnvironment("keyservice", "KeyService__GraceTime", "00:30:00")
            .WithEnvironment("keyservice", "KeyService__Clients__1__ClientId", AdminClientId)
            .WithEnvironment("keyservice", "KeyService__Clients__1__Secret", _adminSecret)
            .WithEnvironment("keyservice", "KeyService__Clients__1__AllowedScopes__0", "keys:admin")
            .WithEnvironment("totservice", "TotService__RateLimit__TokenLimit", "1000000")
            .WithEnvironment("totservice", "TotService__RateLimit__TokensPerPeriod", "1000000")
            .WithEnvironment("totservice", "TotService__RateLimit__ReplenishmentPeriod", "00:00:01")
            .WithEnvironment("totservice", "TotService__JwksRefreshInterval", "00:00:00.200");
        var keyservice = builder.Builder.GetResource<Resource>("keyservice");
        // The admin API's audience is KeyService's own issuer URL.
        keyservice.Environment["KeyService__Clients__1__AllowedAudiences__0"] = keyservice.Environment["KeyService__Issuer"];

        _app = await builder.BuildAsync();
        await _app.StartAsync();
        await WaitAllHealthyAsync(StartupTimeout);
        Issuer = _app.Resolve(keyservice.Environment["KeyService__Issuer"]);
    }

    /// <summary>Waits until every replica of every resource is healthy; returns how long that took.</summary>
    public async Task<TimeSpan> WaitAllHealthyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var cancel = new CancellationTokenSource(timeout);
        foreach (var resource in new[] { "redis", "keyservice", "totservice" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancel.Token);
        }
        return clock.Elapsed;
    }

    public int PidOf(string resource, int replica = 0) =>
        App.ResourceNotifications.SnapshotsOf(resource).Single(s => s.Replica == replica).Pid
        ?? throw new InvalidOperationException($"{resource} replica {replica} has no process.");

    /// <summary>SIGKILL, as the kernel's OOM killer or a node failure would; the AppHost sees the exit.</summary>
    public async Task KillAsync(string resource, int replica = 0)
    {
        using var process = Process.GetProcessById(PidOf(resource, replica));
        process.Kill();
        await process.WaitForExitAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await App.ResourceNotifications.WaitForResourceAsync(resource,
            s => s.Replica != replica || s.IsTerminal, cancel.Token);
    }

    public static string Basic(string clientId, string secret) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}"));

    public Task<string> GetTokenAsync(int keyserviceReplica = 0, string scope = "tot:read", CancellationToken cancellationToken = default) =>
        RequestTokenAsync("dev", DevClientSecret, Audience, scope, keyserviceReplica, cancellationToken);

    public Task<string> GetAdminTokenAsync(CancellationToken cancellationToken = default) =>
        RequestTokenAsync(AdminClientId, _adminSecret, Issuer, "keys:admin", 0, cancellationToken);

    public HttpRequestMessage TokenRequest(string clientId, string secret, string resource, string scope)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["resource"] = resource,
                ["scope"] = scope,
            }),
        };
        request.Headers.Authorization = AuthenticationHeaderValue.Parse(Basic(clientId, secret));
        return request;
    }

    private async Task<string> RequestTokenAsync(string clientId, string secret, string resource, string scope, int replica, CancellationToken cancellationToken)
    {
        using var http = App.CreateHttpClient("keyservice", replica);
        using var request = TokenRequest(clientId, secret, resource, scope);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"token request to keyservice-{replica} failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The kids in one KeyService replica's JWKS.</summary>
    public async Task<HashSet<string>> JwksKidsAsync(int replica, CancellationToken cancellationToken = default)
    {
        using var http = App.CreateHttpClient("keyservice", replica);
        var json = await http.GetStringAsync("/.well-known/jwks.json", cancellationToken);
        return [.. JsonDocument.Parse(json).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }

    /// <summary>
    /// Writes what the services logged since <paramref name="since"/>, timed like the load's outcomes, to the test's
    /// output: the first thing to read when a verdict fails (which replica was asked, what it answered).
    /// </summary>
    public void WriteServiceLogs(ITestOutputHelper output, DateTimeOffset since)
    {
        const int MaxLines = 400;
        var lines = new[] { "keyservice", "totservice" }
            .SelectMany(App.ResourceLogs.GetLinesOfResource)
            .Where(line => line.Timestamp >= since)
            .OrderBy(line => line.Timestamp)
            .ToList();
        output.WriteLine($"Service logs since the load started ({Math.Min(lines.Count, MaxLines)} of {lines.Count} lines):");
        foreach (var line in lines.TakeLast(MaxLines))
        {
            output.WriteLine($"{(line.Timestamp - since).TotalSeconds:0.000}s {line.Instance} {line.Text}");
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
