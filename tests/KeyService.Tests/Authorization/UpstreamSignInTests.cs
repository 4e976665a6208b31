using System.Net;
using KeyService.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace KeyService.Tests.Authorization;

/// <summary>
/// People sign in at the organisation's OpenID Connect provider (a fake one on loopback) through ASP.NET Core's
/// OpenID Connect handler; KeyService issues its own tokens with the provider's subject and the scopes their groups allow.
/// </summary>
public sealed class UpstreamSignInTests
{
    [Fact]
    public async Task A_person_signed_in_by_the_provider_gets_a_token_with_their_subject_and_the_scopes_their_groups_allow()
    {
        await using var provider = await FakeIdentityProvider.StartAsync();
        await using var host = await StartAsync(provider, ("tot-readers", ["tot:read"]), ("tot-writers", ["tot:read", "tot:write"]));
        provider.NextPerson = new("alice@example.com", "Alice Example", ["sales", "tot-readers"]);
        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();

        using var consent = await SignInUpstreamAsync(browser, SignInBrowser.AuthorizeUrl(challenge, scope: "tot:read tot:write"));

        // KeyService asked the provider with PKCE (S256), a nonce and the configured scopes.
        Assert.Equal("S256", provider.LastAuthorizationRequest["code_challenge_method"]);
        Assert.True(provider.LastAuthorizationRequest.ContainsKey("nonce"));
        Assert.Equal("openid profile groups", provider.LastAuthorizationRequest["scope"]);
        // Only what the person's groups allow is offered (RFC 6749 section 3.3: fewer scopes than asked).
        var page = await consent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Alice Example", page, StringComparison.Ordinal);
        Assert.Contains("<code>tot:read</code>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<code>tot:write</code>", page, StringComparison.Ordinal);

        var redirect = await browser.AllowAsync(consent);
        var tokens = await AuthorizationCodeFlowTests.RedeemAsync(host.Client, SignInBrowser.Parameters(redirect)["code"], verifier);
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal("alice@example.com", access.Subject);
        Assert.Equal("tot:read", access.GetClaim("scope").Value);
        Assert.Equal("tot:read", tokens.GetProperty("scope").GetString());
        Assert.Equal(1, provider.TokenRequests);
    }

    [Fact]
    public async Task Without_group_mapping_everyone_the_provider_signs_in_may_grant_every_user_scope()
    {
        await using var provider = await FakeIdentityProvider.StartAsync();
        await using var host = await StartAsync(provider);
        provider.NextPerson = new("bob", "Bob", []);
        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();

        using var consent = await SignInUpstreamAsync(browser, SignInBrowser.AuthorizeUrl(challenge));
        var tokens = await AuthorizationCodeFlowTests.RedeemAsync(host.Client, SignInBrowser.Parameters(await browser.AllowAsync(consent))["code"], verifier);

        Assert.Equal("bob", new JsonWebToken(tokens.GetProperty("access_token").GetString()).Subject);
        Assert.Equal("tot:read tot:write", tokens.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_person_in_no_allowed_group_gets_a_page_saying_so_and_is_not_signed_in()
    {
        await using var provider = await FakeIdentityProvider.StartAsync();
        await using var host = await StartAsync(provider, ("tot-writers", ["tot:read", "tot:write"]));
        provider.NextPerson = new("carol", "Carol", ["sales"]);
        using var browser = new SignInBrowser(host.Address);
        var url = SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge);

        using var refused = await FollowToCallbackAsync(browser, url);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("in no group that may use this service", page, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", refused.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        // Not signed in: the next authorization request goes to the provider again.
        using var again = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.StartsWith(provider.Issuer + "/authorize?", again.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_the_provider_refuses_or_a_forged_callback_ends_on_an_error_page_without_internals()
    {
        await using var provider = await FakeIdentityProvider.StartAsync();
        await using var host = await StartAsync(provider);
        using var browser = new SignInBrowser(host.Address);
        provider.RefuseNext = true;

        using var refused = await FollowToCallbackAsync(browser, SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge));
        using var stranger = new SignInBrowser(host.Address);
        using var forged = await stranger.GetAsync("/connect/authorize/upstream?code=stolen&state=forged");

        foreach (var response in new[] { refused, forged })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Contains("Sign-in at Example Corp did not complete.", page, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
        }
        Assert.Equal(0, provider.TokenRequests);
    }

    [Fact]
    public async Task With_both_sign_ins_the_page_offers_the_provider_beside_the_password_form()
    {
        await using var provider = await FakeIdentityProvider.StartAsync();
        var settings = SignInBrowser.Settings();
        provider.Configure(settings);
        await using var host = await KeyServiceHost.StartHealthyAsync(settings, "Development");
        using var browser = new SignInBrowser(host.Address);

        using var page = await browser.GetAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge));
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("autocomplete=\"current-password\"", html, StringComparison.Ordinal);
        Assert.Contains("Sign in with Example Corp", html, StringComparison.Ordinal);

        // The provider's button posts the same form fields plus provider=upstream.
        var (action, fields) = await SignInBrowser.ReadFormAsync(page);
        var oneForm = fields.DistinctBy(f => f.Key).Where(f => f.Key != "provider");
        using var chosen = await browser.PostFormAsync(action, [.. oneForm, new("provider", "upstream")]);
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.StartsWith(provider.Issuer + "/authorize?", chosen.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
    }

    private static async Task<KeyServiceHost> StartAsync(FakeIdentityProvider provider, params (string Group, string[] Scopes)[] scopesByGroup)
    {
        var settings = SignInBrowser.Settings();
        settings.Remove("KeyService:Authorization:DevelopmentUser:Password"); // the provider is the only way in
        provider.Configure(settings, scopesByGroup);
        return await KeyServiceHost.StartHealthyAsync(settings, "Development");
    }

    /// <summary>The authorization request, to the provider and back to KeyService's callback; returns the callback's answer.</summary>
    private static async Task<HttpResponseMessage> FollowToCallbackAsync(SignInBrowser browser, string authorizeUrl)
    {
        using var toProvider = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, toProvider.StatusCode);
        using var back = await browser.GetAsync(toProvider.Headers.Location!.AbsoluteUri);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Contains("/connect/authorize/upstream?", back.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        return await browser.GetAsync(back.Headers.Location!.AbsoluteUri);
    }

    /// <summary>Signs in at the provider and follows back to the authorization request: returns the consent page.</summary>
    private static async Task<HttpResponseMessage> SignInUpstreamAsync(SignInBrowser browser, string authorizeUrl)
    {
        using var callback = await FollowToCallbackAsync(browser, authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.StartsWith("/connect/authorize?", callback.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return await browser.GetAsync(callback.Headers.Location!.OriginalString);
    }
}
