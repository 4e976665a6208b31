using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EndToEnd.Tests.ScaleOut;

/// <summary>
/// The proxy's own promise, on stub replicas: a request a replica refused at connect is passed on with its body intact,
/// and a request that reached a replica is never sent to a second one (a tool call must not run twice).
/// </summary>
public sealed class RoundRobinProxyTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_a_replica_refused_goes_to_the_next_one_with_its_body()
    {
        // Bound but not listening: every connection to it is refused.
        using var dead = new Socket(SocketType.Stream, ProtocolType.Tcp);
        dead.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var received = new ConcurrentQueue<string>();
        await using var live = await StubReplica.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            received.Enqueue(body);
            await context.Response.WriteAsync(body, context.RequestAborted);
        });
        await using var proxy = await RoundRobinProxy.StartAsync(new Dictionary<string, Uri>
        {
            ["dead"] = new($"http://127.0.0.1:{((IPEndPoint)dead.LocalEndPoint!).Port}/"),
            ["live"] = live.Url,
        }, Cancel);
        using var http = new HttpClient { BaseAddress = proxy.Url };

        for (var i = 0; i < 4; i++)
        {
            var body = $$"""{"jsonrpc":"2.0","id":{{i}},"method":"tools/call"}""";
            using var response = await http.PostAsync("/mcp", new StringContent(body, Encoding.UTF8, "application/json"), Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(body, await response.Content.ReadAsStringAsync(Cancel));
        }

        var attempts = await proxy.Log.SettledAsync(cancellationToken: Cancel);
        var refused = attempts.Where(a => a.Destination == "dead").ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.True(r.ConnectionRefused, $"{r}"));
        Assert.All(refused, r => Assert.Contains(attempts, a => a.RequestId == r.RequestId && a.Destination == "live" && a.Succeeded));
        Assert.Equal(4, received.Count);
    }

    [Fact]
    public async Task A_request_that_reached_a_replica_which_then_failed_is_not_sent_to_another()
    {
        var reachedFailing = 0;
        var reachedLive = 0;
        await using var failing = await StubReplica.StartAsync(async context =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            Interlocked.Increment(ref reachedFailing);
            context.Abort();
        });
        await using var live = await StubReplica.StartAsync(context =>
        {
            Interlocked.Increment(ref reachedLive);
            return Task.CompletedTask;
        });
        await using var proxy = await RoundRobinProxy.StartAsync(new Dictionary<string, Uri> { ["failing"] = failing.Url, ["live"] = live.Url }, Cancel);
        using var http = new HttpClient { BaseAddress = proxy.Url };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await http.PostAsync("/mcp", new StringContent("{}", Encoding.UTF8, "application/json"), Cancel);
            statuses.Add(response.StatusCode);
        }

        // Round robin: two requests each; the failing replica's two are answered 502, not retried on the live one.
        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.BadGateway));
        Assert.Equal(2, Volatile.Read(ref reachedFailing));
        Assert.Equal(2, Volatile.Read(ref reachedLive));
        var attempts = await proxy.Log.SettledAsync(cancellationToken: Cancel);
        Assert.Equal(4, attempts.Count);
        Assert.All(attempts.Where(a => a.Destination == "failing"), a => Assert.False(a.Succeeded || a.ConnectionRefused, $"{a}"));
    }

    /// <summary>A Kestrel server on loopback: <c>/health</c> answers, <c>POST /mcp</c> runs the handler given.</summary>
    private sealed class StubReplica(WebApplication app) : IAsyncDisposable
    {
        public Uri Url { get; } = new(app.Urls.Single() + "/");

        public static async Task<StubReplica> StartAsync(RequestDelegate handler)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.MapGet("/health", () => "Healthy");
            app.MapPost("/mcp", handler);
            await app.StartAsync(Cancel);
            return new StubReplica(app);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
