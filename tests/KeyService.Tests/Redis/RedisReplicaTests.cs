using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using KeyService.Storage;
using KeyService.Tests.Infrastructure;
using StackExchange.Redis;

namespace KeyService.Tests.Redis;

/// <summary>Several KeyService replicas (separate WebApplications on Kestrel) sharing one real Redis server.</summary>
public sealed class RedisReplicaTests
{
    private static readonly Uri Jwks = new("/.well-known/jwks.json", UriKind.Relative);

    [Fact]
    public async Task Three_replicas_starting_together_on_an_empty_store_create_exactly_one_key()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = Settings(redis);

        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartReadyAsync(settings)));
        try
        {
            var kids = await Task.WhenAll(replicas.Select(KidsAsync));
            Assert.All(kids, k => Assert.Equal(kids[0], k));
            Assert.Single(kids[0]);
            Assert.Single(await StoredKidsAsync(redis));
        }
        finally
        {
            await DisposeAllAsync(replicas);
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Concurrent_rotation_requests_on_every_replica_create_exactly_one_new_key(int replicaCount)
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = Settings(redis);
        var replicas = await Task.WhenAll(Enumerable.Range(0, replicaCount).Select(_ => StartReadyAsync(settings)));
        try
        {
            var admin = await replicas[0].Client.GetAdminTokenAsync();
            var before = await KidsAsync(replicas[0]);

            var answers = await Task.WhenAll(replicas.Select(r => RotateAsync(r, admin)));

            var newKid = Assert.Single(answers.Distinct());
            Assert.DoesNotContain(newKid, before);
            Assert.Equal(before.Append(newKid).Order(StringComparer.Ordinal), await StoredKidsAsync(redis));
            foreach (var replica in replicas)
            {
                await EventuallyAsync(async () => (await KidsAsync(replica)).Contains(newKid), TimeSpan.FromSeconds(1), $"every replica to publish the rotated key {newKid}");
                Assert.Equal(2, (await KidsAsync(replica)).Count);
            }
        }
        finally
        {
            await DisposeAllAsync(replicas);
        }
    }

    [Fact]
    public async Task A_key_rotated_on_one_replica_is_in_the_other_replicas_JWKS_within_one_second()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = Settings(redis);
        // Periodic re-read far away: only the pub/sub notification can make this pass.
        settings["KeyService:JwksRefreshCheckInterval"] = "00:30:00";
        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartReadyAsync(settings)));
        try
        {
            var admin = await replicas[0].Client.GetAdminTokenAsync();
            var clock = Stopwatch.StartNew();
            var newKid = await RotateAsync(replicas[0], admin);
            var rotatedAt = clock.Elapsed;

            foreach (var other in replicas.Skip(1))
            {
                await EventuallyAsync(async () => (await KidsAsync(other)).Contains(newKid), TimeSpan.FromSeconds(1) - (clock.Elapsed - rotatedAt), $"the other replica to publish {newKid} within 1 s of the rotation");
            }
            TestContext.Current.SendDiagnosticMessage($"rotation visible on all replicas {(clock.Elapsed - rotatedAt).TotalMilliseconds:F0} ms after the 202");
        }
        finally
        {
            await DisposeAllAsync(replicas);
        }
    }

    [Fact]
    public async Task A_restarted_replica_keeps_all_keys_and_tokens_issued_before_still_validate()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = Settings(redis);
        var first = await StartReadyAsync(settings);
        var second = await StartReadyAsync(settings);
        string token;
        List<string> kids;
        try
        {
            token = await first.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret);
            await RotateAsync(second, await second.Client.GetAdminTokenAsync());
            // Propagation speed has its own test; here the other replica only has to catch up before the restart.
            await EventuallyAsync(async () => (await KidsAsync(first)).Count == 2, TimeSpan.FromSeconds(5), "the first replica to publish two keys");
            kids = await KidsAsync(first);
            Assert.Equal(2, kids.Count);
        }
        finally
        {
            await DisposeAllAsync([first, second]);
        }

        await using var restarted = await StartReadyAsync(settings);
        Assert.Equal(kids, await KidsAsync(restarted));
        var jwks = await restarted.Client.GetStringAsync(Jwks, TestContext.Current.CancellationToken);
        var result = await JwksValidator.ValidateAsync(token, jwks);
        Assert.True(result.IsValid, result.Exception?.Message);
        var newToken = await restarted.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret);
        Assert.True((await JwksValidator.ValidateAsync(newToken, jwks)).IsValid);
    }

    [Fact]
    public async Task Raw_Redis_values_contain_no_private_key_material()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var replica = await StartReadyAsync(Settings(redis));
        await RotateAsync(replica, await replica.Client.GetAdminTokenAsync());

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.FailFastConnectionString);
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        var keys = server.Keys(pattern: "*").ToList();
        Assert.Contains(keys, k => k == RedisKeyRingStore.RingKey);
        Assert.All(keys, k => Assert.StartsWith("keys:", k.ToString(), StringComparison.Ordinal));
        Assert.Equal(2, replica.Cache.Current.Ring.Keys.Count);
        foreach (var key in keys.Where(k => connection.GetDatabase().KeyType(k) == RedisType.String))
        {
            var raw = (byte[])connection.GetDatabase().StringGet(key)!;
            foreach (var ringKey in replica.Cache.Current.Ring.Keys)
            {
                PrivateKeyMaterial.AssertAbsent(raw, ringKey.Rsa);
            }
        }
    }

    [Fact]
    public async Task Replicas_serve_from_cache_while_Redis_is_down_and_recover_when_it_returns()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = Settings(redis);
        settings["KeyService:JwksRefreshCheckInterval"] = "00:00:01";
        await using var serving = await StartReadyAsync(settings);
        var kid = Assert.Single(await KidsAsync(serving));

        await redis.StopAsync();
        await serving.WaitForHealthAsync("Degraded", TimeSpan.FromSeconds(15));
        Assert.Equal([kid], await KidsAsync(serving));
        var token = await serving.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret);
        Assert.False(string.IsNullOrEmpty(token));

        // A replica that starts during the outage holds nothing: it must report unready, and not crash.
        await using var newcomer = await KeyServiceHost.StartAsync(settings);
        await newcomer.WaitForHealthAsync("Unhealthy", TimeSpan.FromSeconds(15));
        using (var unready = await newcomer.Client.PostTokenAsync([new("grant_type", "client_credentials")], (TestSettings.DevClient, TestSettings.DevSecret)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unready.StatusCode);
        }

        // Redis comes back empty (no persistence): the ring is restored and everyone converges on it.
        await redis.RestartAsync();
        await serving.WaitForHealthAsync("Healthy", TimeSpan.FromSeconds(20));
        await newcomer.WaitForHealthAsync("Healthy", TimeSpan.FromSeconds(20));
        await EventuallyAsync(async () => (await KidsAsync(newcomer)).SequenceEqual(await KidsAsync(serving)), TimeSpan.FromSeconds(10), "the newcomer to publish the serving replica's keys");
        Assert.Contains(kid, await StoredKidsAsync(redis));
        var jwks = await newcomer.Client.GetStringAsync(Jwks, TestContext.Current.CancellationToken);
        Assert.True((await JwksValidator.ValidateAsync(token, jwks)).IsValid, "token issued during the outage no longer validates");
    }

    private static Dictionary<string, string?> Settings(RedisServer redis)
    {
        var settings = TestSettings.Create();
        settings["ConnectionStrings:redis"] = redis.FailFastConnectionString;
        return settings;
    }

    private static async Task<KeyServiceHost> StartReadyAsync(Dictionary<string, string?> settings)
    {
        var host = await KeyServiceHost.StartAsync(settings);
        await host.WaitForHealthAsync();
        return host;
    }

    /// <summary>
    /// One rotation request, asked again (at most twice) on 409, as the answer tells a client to: a replica that has
    /// waited 10 s for the ring lock answers 409, which happens on a machine loaded by other test assemblies while the
    /// lock holder generates its RSA key. The retry finds that rotation's key and returns it.
    /// </summary>
    private static async Task<string> RotateAsync(KeyServiceHost host, string adminToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys/rotate");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
                continue;
            }
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            return (await response.ReadJsonAsync()).GetProperty("kid").GetString()!;
        }
    }

    private static async Task<List<string>> KidsAsync(KeyServiceHost host)
    {
        var jwks = await host.Client.GetStringAsync(Jwks, TestContext.Current.CancellationToken);
        return [.. JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal)];
    }

    private static async Task<List<string>> StoredKidsAsync(RedisServer redis)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.FailFastConnectionString);
        var raw = (string?)await connection.GetDatabase().StringGetAsync(RedisKeyRingStore.RingKey);
        Assert.NotNull(raw);
        return [.. JsonDocument.Parse(raw).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal)];
    }

    /// <summary>The first check runs whole even when the bound is already spent: a state reached in time passes.</summary>
    private static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan within, string what) =>
        Eventually.UntilAsync(_ => condition(), within > TimeSpan.Zero ? within : TimeSpan.FromMilliseconds(1), what,
            TimeSpan.FromMilliseconds(10), TestContext.Current.CancellationToken);

    private static async Task DisposeAllAsync(IEnumerable<KeyServiceHost> hosts)
    {
        foreach (var host in hosts)
        {
            await host.DisposeAsync();
        }
    }
}
