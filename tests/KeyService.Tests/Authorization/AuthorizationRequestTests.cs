using System.Net;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Authorization;

public sealed class AuthorizationRequestTests(SignInHostFixture fixture) : IClassFixture<SignInHostFixture>
{
    [Theory]
    [InlineData("https://evil.example/callback")]
    [InlineData("http://127.0.0.1/callback/../evil")]
    [InlineData("http://127.0.0.1/callbackx")]
    [InlineData("http://127.0.0.1/callback?next=https://evil.example")]
    [InlineData("http://127.0.0.1/callback#frag")]
    [InlineData("http://127.0.0.1.evil.example/callback")]
    [InlineData("http://127.0.0.1@evil.example/callback")]
    [InlineData("http://evil.example@127.0.0.1/callback")]
    [InlineData("https://127.0.0.1/callback")]
    [InlineData("//evil.example/callback")]
    [InlineData("")]
    public async Task An_unregistered_redirect_uri_gets_an_error_page_and_no_redirect(string redirectUri)
    {
        using var browser = new SignInBrowser(fixture.Host.Address);
        using var response = await browser.GetAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge, redirectUri: redirectUri));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_client_gets_an_error_page_and_no_redirect()
    {
        using var browser = new SignInBrowser(fixture.Host.Address);
        using var response = await browser.GetAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge, clientId: "nobody"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Theory]
    [InlineData(54321)]
    [InlineData(80)]
    public async Task A_loopback_redirect_uri_matches_on_any_port(int port)
    {
        using var browser = new SignInBrowser(fixture.Host.Address);
        using var response = await browser.GetAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge, redirectUri: $"http://127.0.0.1:{port}/callback"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("missing challenge", "invalid_request")]
    [InlineData("plain", "invalid_request")]
    [InlineData("no method", "invalid_request")]
    [InlineData("short challenge", "invalid_request")]
    [InlineData("token response type", "unsupported_response_type")]
    [InlineData("admin scope", "invalid_scope")]
    [InlineData("other resource", "invalid_target")]
    public async Task A_request_with_a_registered_redirect_uri_gets_its_error_there_with_state_and_iss(string variant, string error)
    {
        var challenge = SignInBrowser.NewPkce().Challenge;
        var url = variant switch
        {
            "missing challenge" => SignInBrowser.AuthorizeUrl(challenge).Replace("code_challenge=" + challenge, "x=1", StringComparison.Ordinal),
            "plain" => SignInBrowser.AuthorizeUrl(challenge, method: "plain"),
            "no method" => SignInBrowser.AuthorizeUrl(challenge, method: null),
            "short challenge" => SignInBrowser.AuthorizeUrl("abc"),
            "token response type" => SignInBrowser.AuthorizeUrl(challenge).Replace("response_type=code", "response_type=token", StringComparison.Ordinal),
            "admin scope" => SignInBrowser.AuthorizeUrl(challenge, scope: "keys:admin"),
            _ => SignInBrowser.AuthorizeUrl(challenge, resource: TestSettings.Issuer),
        };
        using var browser = new SignInBrowser(fixture.Host.Address);
        using var response = await browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(SignInBrowser.RedirectUri + "?", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var parameters = SignInBrowser.Parameters(response.Headers.Location);
        Assert.Equal(error, parameters["error"]);
        Assert.Equal("st-1", parameters["state"]);
        Assert.Equal(TestSettings.Issuer, parameters["iss"]);
        Assert.False(parameters.ContainsKey("code"));
    }
}
