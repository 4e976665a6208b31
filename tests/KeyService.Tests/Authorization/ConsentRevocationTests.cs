using System.Net;
using KeyService.Authorization;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Authorization;

/// <summary>A person lists the applications they allowed and revokes one; the limit on remembered consents per person.</summary>
public sealed class ConsentRevocationTests
{
    [Fact]
    public async Task A_revoked_consent_leaves_the_page_ends_the_clients_refresh_token_and_the_next_sign_in_asks_again()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();
        var code = SignInBrowser.Parameters(await browser.AuthorizeAsync(SignInBrowser.AuthorizeUrl(challenge)))["code"];
        var refreshToken = (await AuthorizationCodeFlowTests.RedeemAsync(host.Client, code, verifier)).GetProperty("refresh_token").GetString()!;

        using var page = await browser.GetAsync(AuthorizationPages.ConsentsPath);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<code>dev</code>: tot:read, tot:write", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var (action, fields) = await SignInBrowser.ReadFormAsync(page);
        Assert.Equal(AuthorizationPages.ConsentsPath, action);
        Assert.Contains(new KeyValuePair<string, string>("client_id", TestSettings.DevClient), fields);
        using var revoked = await browser.PostFormAsync(action, fields);
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);

        using var after = await browser.GetAsync(AuthorizationPages.ConsentsPath);
        Assert.Contains("You have allowed no application.", await after.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var refresh = await AuthorizationCodeFlowTests.PostRefreshAsync(host.Client, refreshToken);
        Assert.Equal(HttpStatusCode.BadRequest, refresh.StatusCode);
        Assert.Equal("invalid_grant", (await refresh.ReadJsonAsync()).GetProperty("error").GetString());
        // Still signed in, but no consent: the consent page again, not a code.
        using var again = await browser.GetAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Allow Dev &lt;Client&gt;?", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_applications_page_needs_a_sign_in_and_a_revoke_without_its_anti_forgery_token_changes_nothing()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var stranger = new SignInBrowser(host.Address);
        using var anonymous = await stranger.GetAsync(AuthorizationPages.ConsentsPath);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Sign in first", await anonymous.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);

        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();
        var code = SignInBrowser.Parameters(await browser.AuthorizeAsync(SignInBrowser.AuthorizeUrl(challenge)))["code"];
        var refreshToken = (await AuthorizationCodeFlowTests.RedeemAsync(host.Client, code, verifier)).GetProperty("refresh_token").GetString()!;

        using var forged = await browser.PostFormAsync(AuthorizationPages.ConsentsPath, [new("client_id", TestSettings.DevClient)]);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var refresh = await AuthorizationCodeFlowTests.PostRefreshAsync(host.Client, refreshToken);
        Assert.Equal(HttpStatusCode.OK, refresh.StatusCode);
    }

    [Fact]
    public async Task A_person_at_the_limit_of_remembered_consents_is_asked_to_revoke_one_first()
    {
        var settings = SignInBrowser.Settings();
        settings["KeyService:Authorization:MaxConsentsPerPerson"] = "1";
        await using var host = await KeyServiceHost.StartHealthyAsync(settings, "Development");
        using var browser = new SignInBrowser(host.Address);
        await browser.AuthorizeAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge));
        var second = (await ClientRegistrationTests.RegisterAsync(host.Client, new { redirect_uris = new[] { SignInBrowser.RedirectUri }, client_name = "Second" }))
            .GetProperty("client_id").GetString()!;

        using var consent = await browser.GetAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge, clientId: second));
        var (action, fields) = await SignInBrowser.ReadFormAsync(consent);
        using var refused = await browser.PostFormAsync(action, [.. fields, new("decision", "allow")]);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("Revoke one on your applications page", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        using var page = await browser.GetAsync(AuthorizationPages.ConsentsPath);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("<code>dev</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(second, html, StringComparison.Ordinal);
        var metrics = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Matches("keyservice_consents_total\\{[^}]*result=\"full\"", metrics);
        Assert.Matches("keyservice_consents_total\\{[^}]*result=\"remembered\"", metrics);
    }
}
