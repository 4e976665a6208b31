using System.Net;
using KeyService.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace KeyService.Tests.Authorization;

public sealed class AuthorizationCodeFlowTests
{
    [Fact]
    public async Task A_person_signs_in_consents_and_the_client_gets_a_token_for_the_person_with_a_rotating_refresh_token()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();

        using var consent = await browser.SignInAsync(SignInBrowser.AuthorizeUrl(challenge));
        var page = await consent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("Dev &lt;Client&gt;", page, StringComparison.Ordinal);
        Assert.Contains("tot:write", page, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", consent.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var redirect = await browser.AllowAsync(consent);

        // Back at the registered URI with code, state and iss (RFC 9207).
        Assert.StartsWith(SignInBrowser.RedirectUri + "?", redirect.OriginalString, StringComparison.Ordinal);
        var response = SignInBrowser.Parameters(redirect);
        Assert.Equal("st-1", response["state"]);
        Assert.Equal(TestSettings.Issuer, response["iss"]);

        var tokens = await RedeemAsync(host.Client, response["code"], verifier);
        var access = new JsonWebToken(tokens.GetProperty("access_token").GetString());
        Assert.Equal("developer", access.Subject);
        Assert.Equal(TestSettings.DevClient, access.GetClaim("client_id").Value);
        Assert.Equal([TestSettings.McpAudience], access.Audiences);
        Assert.Equal("tot:read tot:write", access.GetClaim("scope").Value);
        var jwks = await host.Client.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.True((await JwksValidator.ValidateAsync(access.EncodedToken, jwks)).IsValid);

        // Rotation: each use gives the next token; the used one, presented again, revokes the family.
        var first = tokens.GetProperty("refresh_token").GetString()!;
        var second = (await RefreshAsync(host.Client, first)).GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(first, second);
        using var reused = await PostRefreshAsync(host.Client, first);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal("invalid_grant", (await reused.ReadJsonAsync()).GetProperty("error").GetString());
        using var afterRevocation = await PostRefreshAsync(host.Client, second);
        Assert.Equal("invalid_grant", (await afterRevocation.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Consent_is_remembered_so_the_next_sign_in_goes_straight_back_with_a_code()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var browser = new SignInBrowser(host.Address);
        await browser.AuthorizeAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge));

        var (verifier, challenge) = SignInBrowser.NewPkce();
        using var again = await browser.GetAsync(SignInBrowser.AuthorizeUrl(challenge, state: "st-2", scope: "tot:read"));

        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var response = SignInBrowser.Parameters(again.Headers.Location!);
        Assert.Equal("st-2", response["state"]);
        Assert.Equal("tot:read", (await RedeemAsync(host.Client, response["code"], verifier)).GetProperty("scope").GetString());
    }

    [Fact]
    public async Task A_code_works_once_and_its_replay_revokes_the_refresh_token_its_first_use_obtained()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();
        var code = SignInBrowser.Parameters(await browser.AuthorizeAsync(SignInBrowser.AuthorizeUrl(challenge)))["code"];
        var refreshToken = (await RedeemAsync(host.Client, code, verifier)).GetProperty("refresh_token").GetString()!;

        using var replay = await PostCodeAsync(host.Client, code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await replay.ReadJsonAsync()).GetProperty("error").GetString());
        using var refresh = await PostRefreshAsync(host.Client, refreshToken);
        Assert.Equal("invalid_grant", (await refresh.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("wrong verifier")]
    [InlineData("no verifier")]
    [InlineData("other redirect uri")]
    [InlineData("other resource")]
    public async Task A_code_is_bound_to_its_verifier_redirect_uri_and_resource(string variant)
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();
        var code = SignInBrowser.Parameters(await browser.AuthorizeAsync(SignInBrowser.AuthorizeUrl(challenge)))["code"];

        using var response = variant switch
        {
            "wrong verifier" => await PostCodeAsync(host.Client, code, SignInBrowser.NewPkce().Verifier),
            "no verifier" => await PostCodeAsync(host.Client, code, null),
            "other redirect uri" => await PostCodeAsync(host.Client, code, verifier, redirectUri: "http://127.0.0.1/other"),
            _ => await PostCodeAsync(host.Client, code, verifier, resource: TestSettings.Issuer),
        };

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.ReadJsonAsync()).GetProperty("error").GetString();
        Assert.Contains(error, new[] { "invalid_grant", "invalid_request", "invalid_target" });
    }

    [Fact]
    public async Task A_revoked_refresh_token_ends_its_family_and_access_tokens_are_not_revocable()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();
        var tokens = await RedeemAsync(host.Client, SignInBrowser.Parameters(await browser.AuthorizeAsync(SignInBrowser.AuthorizeUrl(challenge)))["code"], verifier);

        using var revoked = await PostAsync(host.Client, "/connect/revoke", [new("token", tokens.GetProperty("refresh_token").GetString()!)]);
        using var unknown = await PostAsync(host.Client, "/connect/revoke", [new("token", "no-such-token")]);
        using var access = await PostAsync(host.Client, "/connect/revoke", [new("token", tokens.GetProperty("access_token").GetString()!)]);
        using var refresh = await PostRefreshAsync(host.Client, tokens.GetProperty("refresh_token").GetString()!);

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal("unsupported_token_type", (await access.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await refresh.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("", HttpStatusCode.OK)]
    [InlineData("a-guessed-secret", HttpStatusCode.Unauthorized)]
    public async Task A_public_client_may_send_an_empty_secret_by_Basic_but_never_a_secret(string secret, HttpStatusCode expected)
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        var clientId = (await ClientRegistrationTests.RegisterAsync(host.Client, new { redirect_uris = new[] { SignInBrowser.RedirectUri } }))
            .GetProperty("client_id").GetString()!;
        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();
        var code = SignInBrowser.Parameters(await browser.AuthorizeAsync(SignInBrowser.AuthorizeUrl(challenge, clientId: clientId)))["code"];

        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", SignInBrowser.RedirectUri), new("code_verifier", verifier)]),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{secret}")));
        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.True(expected == HttpStatusCode.OK ? body.TryGetProperty("access_token", out _) : body.GetProperty("error").GetString() == "invalid_client", body.ToString());
    }

    [Fact]
    public async Task Metadata_lists_the_code_flow_and_client_credentials_still_work()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var response = await host.Client.GetAsync(new Uri("/.well-known/oauth-authorization-server", UriKind.Relative), TestContext.Current.CancellationToken);
        var metadata = await response.ReadJsonAsync();

        Assert.Equal(TestSettings.Issuer + "/connect/authorize", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(TestSettings.Issuer + "/connect/revoke", metadata.GetProperty("revocation_endpoint").GetString());
        Assert.Equal(["code"], metadata.GetProperty("response_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["S256"], metadata.GetProperty("code_challenge_methods_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["client_credentials", "authorization_code", "refresh_token"], metadata.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.True(metadata.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        var machine = new JsonWebToken(await host.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret));
        Assert.Equal(TestSettings.DevClient, machine.Subject);
    }

    public static async Task<System.Text.Json.JsonElement> RedeemAsync(HttpClient client, string code, string verifier)
    {
        using var response = await PostCodeAsync(client, code, verifier);
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    private static Task<HttpResponseMessage> PostCodeAsync(HttpClient client, string code, string? verifier,
        string redirectUri = SignInBrowser.RedirectUri, string? resource = null)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", redirectUri) };
        if (verifier is not null)
        {
            form.Add(new("code_verifier", verifier));
        }
        if (resource is not null)
        {
            form.Add(new("resource", resource));
        }
        return PostAsync(client, "/connect/token", form);
    }

    private static async Task<System.Text.Json.JsonElement> RefreshAsync(HttpClient client, string refreshToken)
    {
        using var response = await PostRefreshAsync(client, refreshToken);
        var body = await response.ReadJsonAsync();
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    internal static Task<HttpResponseMessage> PostRefreshAsync(HttpClient client, string refreshToken) =>
        PostAsync(client, "/connect/token", [new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, List<KeyValuePair<string, string>> form)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(
            System.Text.Encoding.UTF8.GetBytes($"{TestSettings.DevClient}:{TestSettings.DevSecret}")));
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
