using System.Net;
using KeyService.Tests.Infrastructure;
using StackExchange.Redis;

namespace KeyService.Tests.Authorization;

public sealed class ReplicaSignInTests
{
    [Fact]
    public async Task Sign_in_consent_and_redemption_may_each_land_on_another_replica_and_Redis_holds_no_readable_key()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var redis = await RedisServer.StartAsync();
        var settings = SignInBrowser.Settings();
        settings["ConnectionStrings:redis"] = redis.ConnectionString;
        await using var a = await KeyServiceHost.StartHealthyAsync(settings, "Development");
        await using var b = await KeyServiceHost.StartHealthyAsync(settings, "Development");
        // One browser (one cookie jar; cookies do not depend on the port) talking to both replicas.
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
        using var onA = new SignInBrowser(a.Address, handler);
        using var onB = new SignInBrowser(b.Address, handler);
        var (verifier, challenge) = SignInBrowser.NewPkce();
        var url = SignInBrowser.AuthorizeUrl(challenge);

        using var signInPage = await onA.GetAsync(url);
        var (signInAction, signInFields) = await SignInBrowser.ReadFormAsync(signInPage);
        using var signedIn = await onB.PostFormAsync(signInAction, [.. signInFields, new("username", "developer"), new("password", SignInBrowser.Password)]);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        using var consentPage = await onA.GetAsync(signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, consentPage.StatusCode);
        var (consentAction, consentFields) = await SignInBrowser.ReadFormAsync(consentPage);
        using var allowed = await onB.PostFormAsync(consentAction, [.. consentFields, new("decision", "allow")]);
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        var tokens = await AuthorizationCodeFlowTests.RedeemAsync(a.Client, SignInBrowser.Parameters(allowed.Headers.Location!)["code"], verifier);
        Assert.True(tokens.TryGetProperty("refresh_token", out _));

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var keys = await connection.GetDatabase().ListRangeAsync("keys:oauth:dataprotection");
        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.Contains("encryptedKey", key.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("masterKey", key.ToString(), StringComparison.Ordinal);
        });
    }
}
