using System.Net;
using System.Text.Json;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Apis;

public sealed class AdminApiTests
{
    private const string Keys = "/admin/keys";
    private const string Rotate = "/admin/keys/rotate";

    [Fact]
    public async Task Requires_a_KeyService_token_with_keys_admin_and_answers_per_RFC_6750()
    {
        await using var host = await StartAsync();

        using var anonymous = await host.Client.GetAsync(new Uri(Keys, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", Assert.Single(anonymous.Headers.WwwAuthenticate).Scheme);

        // A token for the MCP resource is not a token for KeyService (audience).
        var mcpToken = await host.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret);
        using var wrongAudience = await host.Client.SendBearerAsync(HttpMethod.Get, Keys, mcpToken);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAudience.StatusCode);
        Assert.Contains("invalid_token", wrongAudience.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var readOnly = await host.Client.GetTokenAsync(TestSettings.AdminClient, TestSettings.AdminSecret, "tot:read", TestSettings.Issuer);
        using var forbidden = await host.Client.SendBearerAsync(HttpMethod.Post, Rotate, readOnly);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("error=\"insufficient_scope\"", forbidden.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Contains("scope=\"keys:admin\"", forbidden.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var forged = await host.Client.SendBearerAsync(HttpMethod.Get, Keys, Forge(await host.Client.GetAdminTokenAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Single(host.Cache.Current.Ring.Keys);
    }

    [Fact]
    public async Task Rotation_publishes_a_new_key_that_signs_after_the_propagation_time_and_is_idempotent()
    {
        await using var host = await StartAsync();
        var admin = await host.Client.GetAdminTokenAsync();
        using var jwksBefore = await host.Client.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), TestContext.Current.CancellationToken);
        var activeKid = host.Cache.Current.Ring.Keys.Single().Kid;

        using var rotated = await host.Client.SendBearerAsync(HttpMethod.Post, Rotate, admin);
        Assert.Equal(HttpStatusCode.Accepted, rotated.StatusCode);
        var pending = await rotated.ReadJsonAsync();
        Assert.Equal("published", pending.GetProperty("state").GetString());
        var activates = pending.GetProperty("activates").GetDateTimeOffset();
        Assert.InRange(activates - pending.GetProperty("created").GetDateTimeOffset(), TimeSpan.FromHours(1), TimeSpan.FromHours(1).Add(TimeSpan.FromSeconds(1)));

        using var again = await host.Client.SendBearerAsync(HttpMethod.Post, Rotate, admin);
        Assert.Equal(pending.GetProperty("kid").GetString(), (await again.ReadJsonAsync()).GetProperty("kid").GetString());

        using var list = await host.Client.SendBearerAsync(HttpMethod.Get, Keys, admin);
        var keys = (await list.ReadJsonAsync()).EnumerateArray().ToList();
        Assert.Equal(["active", "published"], keys.Select(k => k.GetProperty("state").GetString()));
        Assert.Equal(activeKid, keys[0].GetProperty("kid").GetString());
        Assert.Equal(activates, keys[0].GetProperty("retires").GetDateTimeOffset());
        foreach (var key in keys)
        {
            Assert.Equal(["activates", "created", "kid", "removes", "retires", "state"], key.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        }

        // Published now, not yet signing: tokens still carry the old kid, the JWKS already has both.
        using var jwksAfter = await host.Client.GetAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.NotEqual(jwksBefore.Headers.ETag, jwksAfter.Headers.ETag);
        Assert.Equal(2, (await jwksAfter.ReadJsonAsync()).GetProperty("keys").GetArrayLength());
        var token = await host.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret);
        Assert.Equal(activeKid, new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Kid);
    }

    private static async Task<KeyServiceHost> StartAsync()
    {
        var host = await KeyServiceHost.StartAsync(TestSettings.Create());
        await host.WaitForHealthAsync();
        return host;
    }

    /// <summary>Same header and signature, payload changed to claim more: must fail signature validation.</summary>
    private static string Forge(string token)
    {
        var parts = token.Split('.');
        var payload = JsonSerializer.Deserialize<Dictionary<string, object>>(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(parts[1]))!;
        payload["client_id"] = "someone-else";
        parts[1] = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload));
        return string.Join('.', parts);
    }
}
