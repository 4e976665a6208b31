using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Redis;

/// <summary>The same guarantees with KeyService as separate OS processes, one of them killed with SIGKILL.</summary>
public sealed class RedisProcessReplicaTests
{
    private static readonly Uri Jwks = new("/.well-known/jwks.json", UriKind.Relative);

    [Fact]
    public async Task Two_processes_share_one_ring_see_rotations_within_a_second_and_survive_kill_9()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = TestSettings.Create();
        settings["ConnectionStrings:redis"] = redis.FailFastConnectionString;
        // Long periodic re-read: the within-a-second assertion relies on pub/sub alone.
        settings["KeyService:JwksRefreshCheckInterval"] = "00:30:00";

        await using var first = await KeyServiceProcess.StartAsync(settings);
        await using var second = await KeyServiceProcess.StartAsync(settings);
        await Task.WhenAll(first.WaitForHealthAsync(), second.WaitForHealthAsync());
        Assert.Equal(await KidsAsync(first.Client), await KidsAsync(second.Client));
        Assert.Single(await KidsAsync(first.Client));

        var token = await first.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret);
        var newKid = await RotateAsync(second.Client, await second.Client.GetAdminTokenAsync());
        var clock = Stopwatch.StartNew();
        await Eventually.UntilAsync(async _ => (await KidsAsync(first.Client)).Contains(newKid), TimeSpan.FromSeconds(1),
            $"the rotated key {newKid} to be published by the other process", TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage($"rotation visible in the other process after {clock.ElapsedMilliseconds} ms");

        var kids = await KidsAsync(first.Client);
        await first.KillAsync();
        await using var restarted = await KeyServiceProcess.StartAsync(settings);
        await restarted.WaitForHealthAsync();

        Assert.Equal(kids, await KidsAsync(restarted.Client));
        var jwks = await restarted.Client.GetStringAsync(Jwks, TestContext.Current.CancellationToken);
        var result = await JwksValidator.ValidateAsync(token, jwks);
        Assert.True(result.IsValid, result.Exception?.Message);
    }

    private static async Task<string> RotateAsync(HttpClient client, string adminToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys/rotate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("kid").GetString()!;
    }

    private static async Task<List<string>> KidsAsync(HttpClient client)
    {
        var jwks = await client.GetStringAsync(Jwks, TestContext.Current.CancellationToken);
        return [.. JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal)];
    }
}
