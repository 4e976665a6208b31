using System.Diagnostics;
using Aspire.Hosting.Testing;
using StackExchange.Redis;
using Testing;

namespace Resilience.Tests.Infrastructure;

/// <summary>Direct checks against every instance, outside the load loop.</summary>
public static class Checks
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>Polls /health of every instance of both services until all answer 200; returns the time it took.</summary>
    public static async Task<TimeSpan> WaitServicesHealthyAsync(ResilienceAppModel model, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // Read each round: the endpoints are the orchestrator's, and a restarted instance is given its own again.
            var resources = model.KeyServices.Concat(model.TotServices).ToList();
            var healthy = await Task.WhenAll(resources.Select(resource => IsHealthyAsync(new Uri(model.Endpoint(resource), "/health"))));
            if (healthy.All(h => h))
            {
                return clock.Elapsed;
            }
            Assert.True(clock.Elapsed < timeout, $"services not healthy {timeout.TotalSeconds} s after the fault ended:\n" +
                string.Join("\n", resources.Where((_, i) => !healthy[i]).Select(resource => $"{resource} ({model.Endpoint(resource)}):\n{model.Logs.Tail(resource, 25)}")));
            await Task.Delay(100);
        }
    }

    private static async Task<bool> IsHealthyAsync(Uri url)
    {
        try
        {
            using var response = await Http.GetAsync(url);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>A fresh MCP session and whoami on every TotService instance with <paramref name="token"/>.</summary>
    public static async Task AssertAcceptedEverywhereAsync(ResilienceAppModel model, string token, string what)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var instance = 0; instance < model.Instances; instance++)
        {
            var (session, status) = await McpWire.OpenSessionAsync(http, model.McpEndpoint(instance), token, CancellationToken.None);
            Assert.True(session is not null, $"{what}: {model.TotServices[instance]} refused the session: {status}");
            var (callStatus, ok) = await McpWire.WhoAmIAsync(http, model.McpEndpoint(instance), token, session, CancellationToken.None);
            Assert.True(ok, $"{what}: whoami on {model.TotServices[instance]} failed: {callStatus}");
        }
    }

    /// <summary>Every kid in <paramref name="expected"/> is published by every KeyService instance.</summary>
    public static async Task AssertKeysPublishedAsync(ResilienceAppModel model, IReadOnlySet<string> expected)
    {
        for (var instance = 0; instance < model.Instances; instance++)
        {
            var published = await model.JwksKidsAsync(instance);
            Assert.True(expected.IsSubsetOf(published),
                $"{model.KeyServices[instance]} lost keys: expected {string.Join(",", expected)}, publishes {string.Join(",", published)}");
        }
    }

    /// <summary>The shared ring in Redis holds every kid of <paramref name="expected"/> within <paramref name="timeout"/>.</summary>
    public static async Task AssertRingInRedisAsync(ResilienceAppModel model, IReadOnlySet<string> expected, TimeSpan timeout)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await model.App.GetConnectionStringAsync("redis") ?? throw new InvalidOperationException("redis has no connection string."));
        await Eventually.UntilAsync(
            async _ => (string?)await redis.GetDatabase().StringGetAsync("keys:ring") ?? "",
            ring => expected.All(kid => ring.Contains(kid, StringComparison.Ordinal)), timeout,
            $"the shared ring in Redis to hold {string.Join(",", expected)} after the restart",
            ring => ring.Length == 0 ? "no ring" : "a ring without them", TimeSpan.FromMilliseconds(200));
    }
}
