using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EndToEnd.Tests.Auth;

/// <summary>Rotation and KeyService outages as TotService sees them: real processes, real tokens, real MCP calls.</summary>
public sealed class KeyLifecycleEndToEndTests(FastRotationAppModel model) : IClassFixture<FastRotationAppModel>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task After_a_rotation_new_key_tokens_work_without_a_restart_and_old_key_tokens_keep_working()
    {
        var ct = TestContext.Current.CancellationToken;
        var oldToken = await model.GetTokenAsync(cancellationToken: ct);
        var oldKid = new JsonWebToken(oldToken).Kid;
        Assert.True(await WhoAmIWorksAsync(oldToken, ct));

        // Rotate through the admin API: the new key is published now and signs after the propagation time.
        using var keyservice = model.App.CreateHttpClient("keyservice");
        using var rotate = new HttpRequestMessage(HttpMethod.Post, "/admin/keys/rotate");
        rotate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await model.GetAdminTokenAsync(ct));
        using var rotated = await keyservice.SendAsync(rotate, ct);
        Assert.Equal(HttpStatusCode.Accepted, rotated.StatusCode);
        var newKid = JsonDocument.Parse(await rotated.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("kid").GetString()!;
        Assert.NotEqual(oldKid, newKid);

        // Published before it signs.
        var jwks = await keyservice.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), ct);
        Assert.Contains(newKid, jwks, StringComparison.Ordinal);
        Assert.Equal(oldKid, new JsonWebToken(await model.GetTokenAsync(cancellationToken: ct)).Kid);

        // Once active, KeyService signs with it and TotService accepts it without a restart.
        var newToken = await WaitForTokenSignedByAsync(newKid, ct);
        Assert.True(await WhoAmIWorksAsync(newToken, ct), "a token signed by the new key was rejected");

        // The retired key stays valid through its grace period.
        Assert.True(await WhoAmIWorksAsync(oldToken, ct), "a token signed by the retired key was rejected during the grace period");
    }

    [Fact]
    public async Task With_keyservice_stopped_cached_keys_keep_working_and_a_restart_is_picked_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var token = await model.GetTokenAsync(cancellationToken: ct);
        Assert.True(await WhoAmIWorksAsync(token, ct));

        await model.App.StopResourceAsync("keyservice");
        try
        {
            using var probe = model.App.CreateHttpClient("keyservice");
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => probe.GetAsync(new Uri("/alive", UriKind.Relative), ct));
            Assert.True(await WhoAmIWorksAsync(token, ct), "TotService rejected a valid token while KeyService was down");
        }
        finally
        {
            await model.App.StartResourceAsync("keyservice");
            await model.App.ResourceNotifications.WaitForResourceHealthyAsync("keyservice", ct).WaitAsync(Bound, ct);
        }

        // Keys live in Redis: the restarted KeyService signs with a key TotService knows or fetches.
        var afterRestart = await model.GetTokenAsync(cancellationToken: ct);
        Assert.True(await WhoAmIWorksAsync(afterRestart, ct));
        Assert.True(await WhoAmIWorksAsync(token, ct));
    }

    private async Task<string> WaitForTokenSignedByAsync(string kid, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < deadline)
        {
            var token = await model.GetTokenAsync(cancellationToken: ct);
            if (new JsonWebToken(token).Kid == kid)
            {
                return token;
            }
            await Task.Delay(250, ct);
        }
        throw new TimeoutException($"KeyService did not start signing with {kid} within {Bound}.");
    }

    private async Task<bool> WhoAmIWorksAsync(string token, CancellationToken ct)
    {
        try
        {
            await using var client = await model.ConnectAsync(token, cancellationToken: ct);
            var result = await client.CallToolAsync("whoami", cancellationToken: ct);
            return result.IsError != true;
        }
        catch (HttpRequestException ex) when (ex.StatusCode == HttpStatusCode.Unauthorized)
        {
            return false;
        }
    }
}
