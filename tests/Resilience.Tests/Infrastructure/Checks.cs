using System.Diagnostics;
using StackExchange.Redis;

namespace Resilience.Tests.Infrastructure;

/// <summary>Direct checks against every replica, outside the load loop.</summary>
public static class Checks
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>Polls /health of every replica of both services until all answer 200; returns the time it took.</summary>
    public static async Task<TimeSpan> WaitServicesHealthyAsync(ResilienceAppModel model, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var urls = new[] { "keyservice", "totservice" }
            .SelectMany(resource => model.App.GetEndpoints(resource))
            .Select(endpoint => new Uri(endpoint, "/health"))
            .ToList();
        while (true)
        {
            var healthy = await Task.WhenAll(urls.Select(IsHealthyAsync));
            if (healthy.All(h => h))
            {
                return clock.Elapsed;
            }
            Assert.True(clock.Elapsed < timeout, $"services not healthy {timeout.TotalSeconds} s after the fault ended: " +
                string.Join(", ", urls.Where((_, i) => !healthy[i])));
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

    /// <summary>A fresh MCP session and whoami on every TotService replica with <paramref name="token"/>.</summary>
    public static async Task AssertAcceptedEverywhereAsync(ResilienceAppModel model, string token, string what)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        for (var replica = 0; replica < model.Replicas; replica++)
        {
            var (session, status) = await McpWire.OpenSessionAsync(http, model.McpEndpoint(replica), token, CancellationToken.None);
            Assert.True(session is not null, $"{what}: totservice-{replica} refused the session: {status}");
            var (callStatus, ok) = await McpWire.WhoAmIAsync(http, model.McpEndpoint(replica), token, session, CancellationToken.None);
            Assert.True(ok, $"{what}: whoami on totservice-{replica} failed: {callStatus}");
        }
    }

    /// <summary>Every kid in <paramref name="expected"/> is published by every KeyService replica.</summary>
    public static async Task AssertKeysPublishedAsync(ResilienceAppModel model, IReadOnlySet<string> expected)
    {
        for (var replica = 0; replica < model.Replicas; replica++)
        {
            var published = await model.JwksKidsAsync(replica);
            Assert.True(expected.IsSubsetOf(published),
                $"keyservice-{replica} lost keys: expected {string.Join(",", expected)}, publishes {string.Join(",", published)}");
        }
    }

    /// <summary>The shared ring in Redis holds every kid of <paramref name="expected"/> within <paramref name="timeout"/>.</summary>
    public static async Task AssertRingInRedisAsync(ResilienceAppModel model, IReadOnlySet<string> expected, TimeSpan timeout)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await model.App.GetConnectionStringAsync("redis"));
        var clock = Stopwatch.StartNew();
        string ring;
        do
        {
            ring = (string?)await redis.GetDatabase().StringGetAsync("keys:ring") ?? "";
            if (expected.All(kid => ring.Contains(kid, StringComparison.Ordinal)))
            {
                return;
            }
            await Task.Delay(200);
        }
        while (clock.Elapsed < timeout);
        Assert.Fail($"the shared ring in Redis lacks keys {timeout.TotalSeconds} s after the restart: expected {string.Join(",", expected)}; ring is {(ring.Length == 0 ? "absent" : "incomplete")}");
    }
}
