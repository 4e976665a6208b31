using System.Net.Http.Headers;
using System.Text.Json;
using AppHost.Hosting;
using AppHost.Hosting.Model;
using AppHost.Hosting.Testing;
using ModelContextProtocol.Client;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// The AppHost's real app model (Program.cs) with random ports, started once per test class that uses it.
/// Subclasses adjust replicas or settings before start.
/// </summary>
public class AppModel : IAsyncLifetime
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(120);

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app model has not started.");

    /// <summary>Replicas per resource, applied before start.</summary>
    protected virtual IReadOnlyDictionary<string, int> Replicas => new Dictionary<string, int>();

    protected virtual void Configure(DistributedApplicationTestingBuilder builder)
    {
    }

    public async ValueTask InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>();
        foreach (var (resource, replicas) in Replicas)
        {
            builder.WithReplicas(resource, replicas);
        }
        Configure(builder);
        _app = await builder.BuildAsync();
        await _app.StartAsync();
        using var timeout = new CancellationTokenSource(StartupTimeout);
        foreach (var resource in new[] { "redis", "keyservice", "totservice" })
        {
            try
            {
                await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
            {
                // The resource's own output says why; without it a start-up failure is a bare timeout.
                var output = string.Join('\n', _app.ResourceLogs.GetLinesOfResource(resource).TakeLast(40).Select(l => $"{l.Instance} | {l.Text}"));
                throw new InvalidOperationException($"'{resource}' did not become healthy: {ex.Message}\n{output}", ex);
            }
        }
    }

    public Uri McpEndpoint(int replica = 0) => new(App.GetEndpoint("totservice", replica), "/mcp");

    /// <summary>The canonical audience every replica validates (replica 0's URL, as the AppHost configures it).</summary>
    public string Audience => McpEndpoint(0).ToString();

    public string DevClientSecret => App.Resolve(App.Model.GetResource<ParameterResource>("dev-client-secret"));

    /// <summary>A token for the AppHost's development client from KeyService's real token endpoint.</summary>
    public async Task<string> GetTokenAsync(string? scope = null, int keyserviceReplica = 0, CancellationToken cancellationToken = default)
    {
        using var http = App.CreateHttpClient("keyservice", keyserviceReplica);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"dev:{DevClientSecret}")));
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["resource"] = Audience };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        request.Content = new FormUrlEncodedContent(form);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"token request failed: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A real MCP client over Streamable HTTP with a bearer token.</summary>
    public async Task<McpClient> ConnectAsync(string token, int totserviceReplica = 0, McpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpEndpoint(totserviceReplica),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        return await McpClient.CreateAsync(transport, options, cancellationToken: cancellationToken);
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

/// <summary>Two replicas of each service on one Redis: the scale-out shape.</summary>
public sealed class ReplicatedAppModel : AppModel
{
    protected override IReadOnlyDictionary<string, int> Replicas => new Dictionary<string, int> { ["keyservice"] = 2, ["totservice"] = 2 };
}
