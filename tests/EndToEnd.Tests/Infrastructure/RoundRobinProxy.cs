using System.Net;
using AppModelTesting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.SessionAffinity;

namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// A plain load balancer in front of the TotService replicas, on loopback: YARP on Kestrel at 127.0.0.1 (a free port),
/// round robin per request, as the Kubernetes output's Ingress balances requests without an <c>Mcp-Session-Id</c>
/// (those with one stay on their session's replica: <see cref="McpSessionAffinityPolicy"/>). A request whose replica
/// refuses the connection goes to the next replica (<see cref="NextDestinationOnConnectError"/>), and an active health
/// check on <c>/health</c> takes a dead replica out of the rotation and puts a restarted one back, as the readiness probe
/// does for a Service. Every attempt is in <see cref="Log"/>, so a test can tell which replica served each call.
/// </summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    public const string Revision = "2026-07-28";

    /// <summary>Carries the test's tag for a call (<see cref="Tag"/>) to the proxy's log.</summary>
    public const string CallTagHeader = "X-Test-Call";

    private const string ClusterId = "totservice";

    /// <summary>Probe period of the active health check; a dead replica leaves the rotation after two failed probes.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    private readonly WebApplication _app;
    private readonly AsyncLocal<string?> _callTag = new();

    private RoundRobinProxy(WebApplication app, ProxyLog log, Uri url)
    {
        _app = app;
        Log = log;
        Url = url;
    }

    /// <summary>The proxy's base address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri Url { get; }

    public Uri McpEndpoint => new(Url, "/mcp");

    /// <summary>Every forwarding attempt, with the replica that served it.</summary>
    public ProxyLog Log { get; }

    /// <summary>A proxy over every TotService instance of the app model, named by resource.</summary>
    public static Task<RoundRobinProxy> StartAsync(TestAppModel model, CancellationToken cancellationToken) =>
        StartAsync(model.TotServices.ToDictionary(name => name, model.Endpoint), cancellationToken);

    /// <param name="destinations">Replica name (as it appears in <see cref="ProxiedRequest.Destination"/>) to base address.</param>
    public static async Task<RoundRobinProxy> StartAsync(IReadOnlyDictionary<string, Uri> destinations, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        RouteConfig[] routes = [new() { RouteId = "all", ClusterId = ClusterId, Match = new RouteMatch { Path = "{**path}" } }];
        ClusterConfig[] clusters =
        [
            new()
            {
                ClusterId = ClusterId,
                LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                SessionAffinity = new SessionAffinityConfig
                {
                    Enabled = true,
                    Policy = McpSessionAffinityPolicy.PolicyName,
                    FailurePolicy = SessionAffinityConstants.FailurePolicies.Redistribute,
                    AffinityKeyName = McpSessionAffinityPolicy.Header,
                },
                HealthCheck = new HealthCheckConfig
                {
                    Active = new ActiveHealthCheckConfig
                    {
                        Enabled = true,
                        Interval = ProbeInterval,
                        Timeout = TimeSpan.FromSeconds(5),
                        Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures,
                        Path = "/health",
                    },
                },
                Destinations = destinations.ToDictionary(d => d.Key, d => new DestinationConfig { Address = d.Value.ToString() }),
            },
        ];
        builder.Services.AddSingleton<ISessionAffinityPolicy, McpSessionAffinityPolicy>();
        builder.Services.AddReverseProxy().LoadFromMemory(routes, clusters);

        var app = builder.Build();
        var log = new ProxyLog();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.Use((context, next) => NextDestinationOnConnectError.InvokeAsync(context, () => next(context)));
            pipeline.Use((context, next) => RecordAsync(context, () => next(context), log));
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
        });
        await app.StartAsync(cancellationToken);
        return new RoundRobinProxy(app, log, new Uri(app.Urls.Single()));
    }

    /// <summary>
    /// Tags the calls this flow makes from now until the scope ends (clients from <see cref="ConnectAsync"/> send it), so
    /// <see cref="ProxyLog.ForCallAsync"/> finds the attempts of one call.
    /// </summary>
    public IDisposable Tag(string callTag)
    {
        var outer = _callTag.Value;
        _callTag.Value = callTag;
        return new Scope(() => _callTag.Value = outer);
    }

    /// <summary>The official C# SDK client through the proxy, with a bearer token; 2026-07-28 unless the options pin another revision.</summary>
    public async Task<McpClient> ConnectAsync(string token, McpClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        var http = new HttpClient(new CallTagHandler(() => _callTag.Value));
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = McpEndpoint,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        }, http, loggerFactory: null, ownsHttpClient: true);
        return await McpClient.CreateAsync(transport, options ?? new McpClientOptions { ProtocolVersion = Revision }, cancellationToken: cancellationToken);
    }

#pragma warning disable MCP9005 // sampling is deprecated by 2026-07-28, and is how a client lends its model to a run
    /// <summary>A 2026-07-28 client that lends its model: <paramref name="model"/> answers the server's sampling requests.</summary>
    public Task<McpClient> ConnectWithModelAsync(
        string token,
        Func<CreateMessageRequestParams?, IProgress<ProgressNotificationValue>, CancellationToken, ValueTask<CreateMessageResult>> model,
        CancellationToken cancellationToken = default) =>
        ConnectAsync(token, new McpClientOptions { ProtocolVersion = Revision, Handlers = new McpClientHandlers { SamplingHandler = model } }, cancellationToken);
#pragma warning restore MCP9005

    /// <summary>The replicas in the rotation now (those the health check has not taken out).</summary>
    public IReadOnlyList<string> AvailableDestinations() =>
        _app.Services.GetRequiredService<IProxyStateLookup>().TryGetCluster(ClusterId, out var cluster)
            ? cluster.DestinationsState.AvailableDestinations.Select(d => d.DestinationId).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Waits until the health check has put <paramref name="destination"/> back in (or taken it out of) the rotation.</summary>
    public Task WaitForRotationAsync(string destination, bool inRotation, TimeSpan timeout, CancellationToken cancellationToken) =>
        Eventually.UntilAsync(
            _ => Task.FromResult(AvailableDestinations()), available => available.Contains(destination) == inRotation, timeout,
            $"the proxy to {(inRotation ? "put" : "take")} {destination} {(inRotation ? "in" : "out of")} the rotation",
            available => $"[{string.Join(", ", available)}]", TimeSpan.FromMilliseconds(50), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task RecordAsync(HttpContext context, Func<Task> next, ProxyLog log)
    {
        // A session's GET opens its event stream, which lasts as long as the session.
        var stream = HttpMethods.IsGet(context.Request.Method);
        var sequence = log.Begin(stream);
        var started = TimeProvider.System.GetTimestamp();
        try
        {
            await next();
        }
        finally
        {
            var finished = TimeProvider.System.GetTimestamp();
            var proxy = context.GetReverseProxyFeature();
            var error = context.Features.Get<IForwarderErrorFeature>()?.Error;
            var headers = context.Request.Headers;
            log.End(new ProxiedRequest(
                sequence, context.TraceIdentifier, Header(headers, CallTagHeader), Header(headers, "Mcp-Method"), Header(headers, "Mcp-Name"),
                proxy.ProxiedDestination?.DestinationId ?? "", started, finished, context.Response.StatusCode, error?.ToString(),
                NextDestinationOnConnectError.ConnectionRefused(context)), stream);
        }
    }

    private static string? Header(IHeaderDictionary headers, string name) => headers.TryGetValue(name, out var value) ? value.ToString() : null;

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }

    private sealed class CallTagHandler(Func<string?> currentTag) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (currentTag() is { } tag)
            {
                request.Headers.TryAddWithoutValidation(CallTagHeader, tag);
            }
            return base.SendAsync(request, cancellationToken);
        }
    }
}
