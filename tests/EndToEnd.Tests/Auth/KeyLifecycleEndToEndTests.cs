using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using EndToEnd.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace EndToEnd.Tests.Auth;

/// <summary>Rotation and KeyService outages as TotService sees them: real processes, real tokens, real MCP calls.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class KeyLifecycleEndToEndTests(EndToEndAppModel model)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>A project started again by the orchestrator goes through <c>dotnet run</c> again: seconds on a busy machine.</summary>
    private static readonly TimeSpan RestartBound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task After_a_rotation_new_key_tokens_work_without_a_restart_and_old_key_tokens_keep_working()
    {
        var ct = TestContext.Current.CancellationToken;
        var oldToken = await model.GetTokenAsync(cancellationToken: ct);
        var oldKid = new JsonWebToken(oldToken).Kid;
        Assert.True(await WhoAmIWorksAsync(oldToken, ct));

        // Rotate through the admin API: the new key is published now and signs after the propagation time.
        using var keyservice = model.CreateHttpClient(model.KeyServices[0]);
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

        // Once active, every KeyService instance signs with it and TotService accepts it without a restart.
        for (var instance = 0; instance < model.KeyServiceInstances; instance++)
        {
            var newToken = await WaitForTokenSignedByAsync(newKid, instance, ct);
            Assert.True(await WhoAmIWorksAsync(newToken, ct), $"a token signed by the new key on {model.KeyServices[instance]} was rejected");
        }

        // The retired key stays valid through its grace period.
        Assert.True(await WhoAmIWorksAsync(oldToken, ct), "a token signed by the retired key was rejected during the grace period");
    }

    [Fact]
    public async Task With_every_keyservice_instance_down_cached_keys_keep_working_and_a_restart_is_picked_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var token = await model.GetTokenAsync(cancellationToken: ct);
        Assert.True(await WhoAmIWorksAsync(token, ct));

        var probes = model.KeyServices.Select(model.Endpoint).ToList();
        try
        {
            // A crash of every instance: the orchestrator's stop command reports a failure when KeyService's graceful
            // shutdown outlasts its wait (about 12 s seen here). The start commands below bring them back.
            foreach (var keyservice in model.KeyServices)
            {
                await model.KillAsync(keyservice, TimeSpan.FromSeconds(30));
            }
            using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var endpoint in probes)
            {
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => probe.GetAsync(new Uri(endpoint, "/alive"), ct));
            }
            Assert.True(await WhoAmIWorksAsync(token, ct), "TotService rejected a valid token while KeyService was down");
        }
        finally
        {
            foreach (var keyservice in model.KeyServices)
            {
                await model.ExecuteCommandAsync(keyservice, KnownResourceCommands.StartCommand, ct);
            }
            foreach (var keyservice in model.KeyServices)
            {
                await model.WaitHealthyAsync(keyservice, RestartBound);
            }
        }

        // Keys live in Redis: each restarted instance signs with a key TotService knows or fetches.
        for (var instance = 0; instance < model.KeyServiceInstances; instance++)
        {
            var afterRestart = await model.GetTokenAsync(keyserviceInstance: instance, cancellationToken: ct);
            Assert.True(await WhoAmIWorksAsync(afterRestart, ct), $"a token from the restarted {model.KeyServices[instance]} was rejected");
        }
        Assert.True(await WhoAmIWorksAsync(token, ct));
    }

    private Task<string> WaitForTokenSignedByAsync(string kid, int keyserviceInstance, CancellationToken ct) =>
        Eventually.UntilAsync(
            cancellation => model.GetTokenAsync(keyserviceInstance: keyserviceInstance, cancellationToken: cancellation),
            token => new JsonWebToken(token).Kid == kid, Bound, $"{model.KeyServices[keyserviceInstance]} to sign with {kid}",
            token => $"a token signed with {new JsonWebToken(token).Kid}", TimeSpan.FromMilliseconds(250), ct);

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
