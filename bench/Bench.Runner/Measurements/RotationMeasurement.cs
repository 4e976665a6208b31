using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Bench.Runner.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;
using static Bench.Runner.Infrastructure.Report;

namespace Bench.Runner.Measurements;

/// <summary>
/// Repeated rotations on KeyService replica 0. For each: (1) publication = time from the rotate answer (the new key
/// exists and is stored) until every KeyService replica's JWKS lists the new kid; (2) acceptance = time from the
/// rotate answer until every TotService
/// replica accepts a token signed by the new key (signed by the runner with the key decrypted from the shared ring,
/// since KeyService itself signs with it only after the propagation time); (3) after activation, every KeyService
/// replica signs with the new key.
/// </summary>
public static class RotationMeasurement
{
    public static async Task RunAsync(BenchContext context, int rotations)
    {
        var app = context.App;
        var cancellationToken = context.CancellationToken;
        var keyserviceReplicas = app.Endpoints("keyservice");
        var totserviceReplicas = app.Endpoints("totservice");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.App.GetConnectionStringAsync("redis", cancellationToken) ?? throw new InvalidOperationException("redis has no connection string."));
        var ring = new SharedKeyRing(redis, app.KeyEncryptionKey);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var adminToken = await app.GetAdminTokenAsync(cancellationToken);

        var rotateRequests = new List<double>();
        var publication = new List<double>();
        var acceptance = new List<double>();
        var switched = 0;
        for (var i = 0; i < rotations; i++)
        {
            await WaitUntilNothingPendingAsync(http, keyserviceReplicas[0], adminToken, cancellationToken);

            var clock = Stopwatch.StartNew();
            using var rotate = new HttpRequestMessage(HttpMethod.Post, new Uri(keyserviceReplicas[0], "/admin/keys/rotate"));
            rotate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            using var response = await http.SendAsync(rotate, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            if ((int)response.StatusCode != 202)
            {
                throw new InvalidOperationException($"rotate failed: {(int)response.StatusCode} {body}");
            }
            var info = JsonDocument.Parse(body).RootElement;
            var kid = info.GetProperty("kid").GetString()!;
            var activates = info.GetProperty("activates").GetDateTimeOffset();
            // The request's own time is mostly RSA key generation on replica 0; propagation is timed from its answer.
            rotateRequests.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();

            var published = Task.WhenAll(keyserviceReplicas.Select(replica => UntilAsync(clock, $"{kid} in the JWKS of {replica}", () => JwksHasAsync(http, replica, kid, cancellationToken), cancellationToken)));
            var accepted = AcceptanceAsync(app, ring, kid, totserviceReplicas, clock, cancellationToken);
            publication.Add((await published).Max());
            acceptance.Add((await accepted).Max());

            // After activation every replica must sign with the new key.
            var wait = activates - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(150);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }
            var kids = await Task.WhenAll(Enumerable.Range(0, keyserviceReplicas.Count)
                .Select(async replica => new JsonWebToken(await app.GetTokenAsync(cancellationToken, replica)).Kid));
            switched += kids.All(k => k == kid) ? 1 : 0;
        }

        var publicationP99 = Percentile(publication, 0.99);
        var acceptanceP99 = Percentile(acceptance, 0.99);
        context.Report.Add(new Row(
            "Rotation: POST /admin/keys/rotate on replica 0 (new RSA-2048 key generated, stored, announced) p50 / p99",
            $"{F(Percentile(rotateRequests, 0.5), "0")} / {F(Percentile(rotateRequests, 0.99), "0")} ms", "-", "-", "-", null));
        context.Report.Add(new Row(
            $"Rotation: new key in every KeyService replica's JWKS ({keyserviceReplicas.Count} replicas, {rotations} rotations) p50 / p99",
            $"{F(Percentile(publication, 0.5), "0")} / {F(publicationP99, "0")} ms",
            $"propagation time configured: 1000 ms", "-", "p99 < 1 s", publicationP99 < 1000));
        context.Report.Add(new Row(
            $"Rotation: every TotService replica ({totserviceReplicas.Count}) accepts a token signed by the new key, p50 / p99",
            $"{F(Percentile(acceptance, 0.5), "0")} / {F(acceptanceP99, "0")} ms",
            $"JWKS publication p99 {F(publicationP99, "0")} ms", "-", "p99 < 1 s", acceptanceP99 < 1000));
        context.Report.Add(new Row(
            "Rotation: every KeyService replica signs with the new key once it activates",
            $"{switched} of {rotations} rotations", "-", "-", "all", switched == rotations));
    }

    public static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percentile * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static async Task WaitUntilNothingPendingAsync(HttpClient http, Uri keyservice, string adminToken, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var list = new HttpRequestMessage(HttpMethod.Get, new Uri(keyservice, "/admin/keys"));
            list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            using var response = await http.SendAsync(list, cancellationToken);
            response.EnsureSuccessStatusCode();
            var keys = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken)).RootElement.EnumerateArray().ToList();
            var pending = keys.Where(k => k.GetProperty("state").GetString() == "published").ToList();
            if (pending.Count == 0)
            {
                return;
            }
            var wait = pending.Max(k => k.GetProperty("activates").GetDateTimeOffset()) - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100);
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.FromMilliseconds(100), cancellationToken);
        }
        throw new TimeoutException("A published key never activated.");
    }

    private static async Task<double[]> AcceptanceAsync(BenchApp app, SharedKeyRing ring, string kid, IReadOnlyList<Uri> replicas, Stopwatch clock, CancellationToken cancellationToken)
    {
        using var rsa = await ring.PrivateKeyAsync(kid);
        var token = Sign(app, rsa, kid);
        return await Task.WhenAll(replicas.Select(replica => UntilAsync(clock, $"{replica} accepting a token signed by {kid}", async () =>
        {
            var endpoint = new Uri(replica, "/mcp");
            using var response = await McpRaw.PostAsync(endpoint, McpRaw.Initialize, token, null, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return false;
            }
            // Twenty rotations would otherwise leave twenty open sessions, past the client's session cap.
            if (response.Headers.TryGetValues("Mcp-Session-Id", out var session))
            {
                await McpRaw.CloseSessionAsync(endpoint, token, session.Single(), cancellationToken);
            }
            return true;
        }, cancellationToken)));
    }

    /// <summary>A token exactly like KeyService's (RFC 9068 at+jwt, RS256, kid), signed with the published key.</summary>
    private static string Sign(BenchApp app, RSA rsa, string kid)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = app.Issuer,
            Audience = app.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = kid }, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = "dev",
                ["client_id"] = "dev",
                ["scope"] = "tot:read",
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        });
    }

    private static async Task<bool> JwksHasAsync(HttpClient http, Uri replica, string kid, CancellationToken cancellationToken)
    {
        var jwks = await http.GetStringAsync(new Uri(replica, "/.well-known/jwks.json"), cancellationToken);
        return jwks.Contains($"\"{kid}\"", StringComparison.Ordinal);
    }

    /// <summary>Polls every 5 ms until the condition holds; returns the clock's reading in ms then.</summary>
    private static async Task<double> UntilAsync(Stopwatch clock, string what, Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (await condition())
            {
                return clock.Elapsed.TotalMilliseconds;
            }
            await Task.Delay(5, cancellationToken);
        }
        throw new TimeoutException($"Rotation did not propagate within 30 s: {what}.");
    }
}
