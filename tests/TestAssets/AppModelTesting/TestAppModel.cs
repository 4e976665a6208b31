using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using ModelContextProtocol.Client;
using Xunit;

namespace AppModelTesting;

/// <summary>
/// The AppHost's real app model (AppHost/Program.cs) started through Aspire.Hosting.Testing: real processes, a real
/// Redis-protocol server, ports the orchestrator picks, and secrets made for this run (so a test never writes the
/// developer's user secrets). Start once per test class or collection: start-up and disposal cost seconds each.
/// </summary>
public class TestAppModel : IAsyncLifetime
{
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(180);

    private DistributedApplication? _app;

    /// <summary>The development client's secret for this run (tests get tokens with it).</summary>
    public string DevClientSecret { get; } = RandomSecret();

    public string RedisPassword { get; } = RandomSecret();

    /// <summary>The development user's password for this run (people sign in with it; never the developer's user secrets).</summary>
    public string DevUserPassword { get; } = RandomSecret();

    /// <summary>KeyService's key-encryption key for this run (base64, 32 bytes), for reading the shared ring in Redis.</summary>
    public string KeyEncryptionKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>From building the model until every process resource was healthy.</summary>
    public TimeSpan StartupTime { get; private set; }

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app model has not started.");

    public ResourceLogs Logs { get; private set; } = ResourceLogs.Empty;

    /// <summary><c>auto</c>, <c>redis-server</c> or <c>garnet</c>.</summary>
    public virtual string RedisServer => "auto";

    public virtual int KeyServiceInstances => 2;

    public virtual int TotServiceInstances => 1;

    /// <summary>Resource names, as the AppHost names instances (a suffix only when there is more than one).</summary>
    public IReadOnlyList<string> KeyServices => InstanceNames("keyservice", KeyServiceInstances);

    public IReadOnlyList<string> TotServices => InstanceNames("totservice", TotServiceInstances);

    public IEnumerable<string> ProcessResources => ["redis", .. KeyServices, .. TotServices];

    /// <summary>More AppHost configuration, as <c>key=value</c> (e.g. <c>AppHost:Prometheus=true</c>).</summary>
    protected virtual IEnumerable<string> Settings => [];

    /// <summary>Service settings, applied to every instance of the named service as environment variables.</summary>
    protected virtual IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ServiceSettings =>
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    protected virtual bool EnableDashboard => false;

    /// <summary>Adds an administrator client (<see cref="AdminClientId"/>, scope <c>keys:admin</c>) for the key admin API.</summary>
    protected virtual bool EnableAdminClient => false;

    public const string AdminClientId = "test-admin";

    public string AdminSecret { get; } = RandomSecret();

    /// <summary>KeyService's public issuer URL (instance 0's), which is also the admin API's audience.</summary>
    public string Issuer => Endpoint(KeyServices[0]).ToString().TrimEnd('/');

    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    public virtual async ValueTask InitializeAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string[] args =
        [
            "--AppHost:RandomPorts=true",
            "--AppHost:Prometheus=false",
            $"--AppHost:RedisServer={RedisServer}",
            $"--AppHost:KeyServiceInstances={KeyServiceInstances}",
            $"--AppHost:TotServiceInstances={TotServiceInstances}",
            $"--Parameters:dev-client-secret={DevClientSecret}",
            $"--Parameters:dev-user-password={DevUserPassword}",
            $"--Parameters:redis-password={RedisPassword}",
            $"--Parameters:keyservice-kek={KeyEncryptionKey}",
            .. Settings.Select(s => "--" + s),
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(args,
            (options, _) => options.DisableDashboard = !EnableDashboard);
        foreach (var (service, variables) in ServiceSettings)
        {
            foreach (var resource in builder.Resources.OfType<ProjectResource>().Where(r => r.Name == service || r.Name.StartsWith(service + "-", StringComparison.Ordinal)))
            {
                var resourceBuilder = builder.CreateResourceBuilder(resource);
                foreach (var (key, value) in variables)
                {
                    resourceBuilder.WithEnvironment(key, value);
                }
            }
        }
        if (!EnableDashboard)
        {
            // Without a dashboard the testing builder still points every project at the default OTLP port, where nothing
            // listens: the services would then trace every request and retry their exports for nothing.
            foreach (var project in builder.Resources.OfType<ProjectResource>())
            {
                builder.CreateResourceBuilder(project).WithEnvironment(context =>
                {
                    foreach (var key in context.EnvironmentVariables.Keys.Where(k => k.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal)).ToList())
                    {
                        context.EnvironmentVariables.Remove(key);
                    }
                });
            }
        }
        if (EnableAdminClient)
        {
            var issuer = builder.Resources.OfType<ProjectResource>().First(r => r.Name == KeyServices[0]);
            foreach (var keyservice in builder.Resources.OfType<ProjectResource>().Where(r => KeyServices.Contains(r.Name)))
            {
                builder.CreateResourceBuilder(keyservice)
                    .WithEnvironment("KeyService__Clients__1__ClientId", AdminClientId)
                    .WithEnvironment("KeyService__Clients__1__Secret", AdminSecret)
                    .WithEnvironment("KeyService__Clients__1__AllowedScopes__0", "keys:admin")
                    .WithEnvironment("KeyService__Clients__1__AllowedAudiences__0", issuer.GetEndpoint("http"));
            }
        }
        Configure(builder);
        _app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(StartupTimeout);
        try
        {
            // The start waits for every resource's dependencies (WaitFor), without end if one of them never gets healthy.
            await _app.StartAsync(timeout.Token);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            throw new InvalidOperationException($"The app model did not start within {StartupTimeout}: {States()}", ex);
        }
        // After the start: the orchestrator names each resource's log stream then (lines written before are kept).
        Logs = ResourceLogs.Watch(_app, ProcessResources);
        foreach (var resource in ProcessResources)
        {
            try
            {
                // A resource that exits at start (a port taken, a bad setting) fails the wait at once, not at the timeout.
                await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, WaitBehavior.StopOnResourceUnavailable, timeout.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or DistributedApplicationException)
            {
                // The resource's own output says why; without it a start-up failure is a bare timeout.
                throw new InvalidOperationException(
                    $"'{resource}' did not become healthy within {StartupTimeout} ({States()}):\n{await Logs.TailAsync(resource, 40)}", ex);
            }
        }
        StartupTime = clock.Elapsed;
    }

    public Uri Endpoint(string resource) => App.GetEndpoint(resource, "http");

    public Uri McpEndpoint(int instance = 0) => new(Endpoint(TotServices[instance]), "/mcp");

    /// <summary>The audience every TotService instance validates (instance 0's URL, as the AppHost configures it).</summary>
    public string Audience => McpEndpoint(0).ToString();

    public HttpClient CreateHttpClient(string resource) => App.CreateHttpClient(resource, "http");

    /// <summary>A token for the development client from KeyService's real token endpoint.</summary>
    public Task<string> GetTokenAsync(string? scope = null, int keyserviceInstance = 0, CancellationToken cancellationToken = default) =>
        RequestTokenAsync("dev", DevClientSecret, Audience, scope, keyserviceInstance, cancellationToken);

    /// <summary>A <c>keys:admin</c> token for the administrator client (needs <see cref="EnableAdminClient"/>).</summary>
    public Task<string> GetAdminTokenAsync(CancellationToken cancellationToken = default) =>
        RequestTokenAsync(AdminClientId, AdminSecret, Issuer, "keys:admin", 0, cancellationToken);

    /// <summary>A token for any client the test configured, from the given KeyService instance's token endpoint.</summary>
    public async Task<string> RequestTokenAsync(
        string clientId, string secret, string resource, string? scope, int keyserviceInstance = 0, CancellationToken cancellationToken = default)
    {
        using var http = CreateHttpClient(KeyServices[keyserviceInstance]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["resource"] = resource };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        request.Content = new FormUrlEncodedContent(form);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"token request failed: {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The official MCP client over Streamable HTTP with a bearer token.</summary>
    public async Task<McpClient> ConnectAsync(string token, int totserviceInstance = 0, McpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpEndpoint(totserviceInstance),
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        });
        return await McpClient.CreateAsync(transport, options, cancellationToken: cancellationToken);
    }

    /// <summary>The process the orchestrator reports for a resource, and for a project the service process under its <c>dotnet run</c>.</summary>
    public ResourceProcess Process(string resource) => ResourceProcess.Of(App, resource);

    /// <summary>Runs one of the resource's own commands (<see cref="KnownResourceCommands"/>: start, stop, restart).</summary>
    public async Task ExecuteCommandAsync(string resource, string command, CancellationToken cancellationToken = default)
    {
        var commands = App.Services.GetService(typeof(ResourceCommandService)) as ResourceCommandService
            ?? throw new InvalidOperationException("No resource command service.");
        var result = await commands.ExecuteCommandAsync(resource, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"'{command}' on '{resource}' failed: {result.Message}");
        }
    }

    /// <summary>
    /// A crash: SIGKILL to the service process, then the wait until the orchestrator reports the resource stopped. The
    /// orchestrator does not start it again by itself; a test does, with the start or restart command.
    /// </summary>
    public async Task<ResourceProcess> KillAsync(string resource, TimeSpan timeout)
    {
        var process = Process(resource);
        process.KillService();
        await WaitForStateAsync(resource, KnownResourceStates.TerminalStates, timeout);
        return process;
    }

    public async Task WaitForStateAsync(string resource, IEnumerable<string> states, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await App.ResourceNotifications.WaitForResourceAsync(resource, states, cancellation.Token);
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"'{resource}' did not reach {string.Join(" or ", states)} within {timeout}:\n{Logs.Tail(resource, 40)}", ex);
        }
    }

    public async Task WaitHealthyAsync(string resource, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellation.Token);
        }
        catch (OperationCanceledException ex)
        {
            throw new TimeoutException($"'{resource}' was not healthy within {timeout}:\n{Logs.Tail(resource, 40)}", ex);
        }
        catch (DistributedApplicationException ex)
        {
            // The orchestrator says only that the resource failed to start; its own output says why.
            throw new DistributedApplicationException($"{ex.Message}\n'{resource}' wrote:\n{Logs.Tail(resource, 40)}", ex);
        }
    }

    /// <summary>Every process resource's state and exit code, for a start-up failure's message.</summary>
    private string States() => string.Join(", ", ProcessResources.Select(resource =>
        App.ResourceNotifications.TryGetCurrentState(resource, out var current)
            ? $"{resource} {current.Snapshot.State?.Text ?? "not started"}{(current.Snapshot.ExitCode is { } code ? $" (exit {code})" : "")}"
            : $"{resource} unknown"));

    public virtual async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        Logs.Dispose();
        GC.SuppressFinalize(this);
    }

    private static List<string> InstanceNames(string name, int count) =>
        count == 1 ? [name] : Enumerable.Range(0, count).Select(i => $"{name}-{i}").ToList();

    private static string RandomSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
}
