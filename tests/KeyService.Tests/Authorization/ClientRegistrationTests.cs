using System.Net;
using System.Net.Http.Json;
using KeyService.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace KeyService.Tests.Authorization;

public sealed class ClientRegistrationTests
{
    [Fact]
    public async Task A_registered_public_client_signs_a_person_in_with_PKCE_alone()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        var registered = await RegisterAsync(host.Client, new
        {
            redirect_uris = new[] { "http://127.0.0.1/oauth/callback" },
            client_name = "Claude Code",
            token_endpoint_auth_method = "client_secret_basic",
            grant_types = new[] { "authorization_code", "refresh_token" },
        });
        var clientId = registered.GetProperty("client_id").GetString()!;
        Assert.Equal("none", registered.GetProperty("token_endpoint_auth_method").GetString());

        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();
        using var consent = await browser.SignInAsync(SignInBrowser.AuthorizeUrl(challenge, clientId, "http://127.0.0.1:49152/oauth/callback"));
        Assert.Contains("Claude Code", await consent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var code = SignInBrowser.Parameters(await browser.AllowAsync(consent))["code"];

        using var token = await host.Client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(
        [
            new("grant_type", "authorization_code"), new("code", code), new("code_verifier", verifier),
            new("redirect_uri", "http://127.0.0.1:49152/oauth/callback"), new("client_id", clientId),
        ]), TestContext.Current.CancellationToken);
        var body = await token.ReadJsonAsync();
        Assert.True(token.IsSuccessStatusCode, body.ToString());
        var access = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal(clientId, access.GetClaim("client_id").Value);
        Assert.Equal("developer", access.Subject);
    }

    [Theory]
    [InlineData("""{"redirect_uris":[]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["http://evil.example/cb"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://app.example/cb#x"]}""", "invalid_redirect_uri")]
    [InlineData("""{"redirect_uris":["https://app.example/cb"],"grant_types":["client_credentials"]}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":["https://app.example/cb"],"logo_uri":"javascript:alert(1)"}""", "invalid_client_metadata")]
    [InlineData("""{"redirect_uris":"https://app.example/cb"}""", "invalid_client_metadata")]
    [InlineData("""[1,2]""", "invalid_client_metadata")]
    [InlineData("""not json""", "invalid_client_metadata")]
    public async Task Bad_client_metadata_is_a_400_with_the_RFC_7591_error(string body, string error)
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var response = await host.Client.PostAsync(new Uri("/connect/register", UriKind.Relative),
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_registration_flood_is_rate_limited_per_address_and_capped_in_number()
    {
        var settings = SignInBrowser.Settings();
        settings["KeyService:Authorization:RegistrationsPerMinute"] = "3";
        settings["KeyService:Authorization:MaxRegistrations"] = "4";
        await using var host = await KeyServiceHost.StartHealthyAsync(settings, "Development");
        var metadata = new { redirect_uris = new[] { "https://app.example/cb" } };

        var flood = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await host.Client.PostAsJsonAsync(new Uri("/connect/register", UriKind.Relative), metadata, TestContext.Current.CancellationToken);
            flood.Add(response.StatusCode);
        }
        using var other = host.ClientFrom(IPAddress.Parse("127.0.0.2"));
        var capped = new List<HttpStatusCode>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await other.PostAsJsonAsync(new Uri("/connect/register", UriKind.Relative), metadata, TestContext.Current.CancellationToken);
            capped.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], flood);
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable], capped);
        var metrics = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Contains("keyservice_client_registrations_total{", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registration_nobody_signs_in_with_expires()
    {
        var settings = SignInBrowser.Settings();
        settings["KeyService:Authorization:UnusedRegistrationLifetime"] = "00:00:01";
        await using var host = await KeyServiceHost.StartHealthyAsync(settings, "Development");
        var clientId = (await RegisterAsync(host.Client, new { redirect_uris = new[] { "https://app.example/cb" } })).GetProperty("client_id").GetString()!;
        var url = SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge, clientId, "https://app.example/cb");
        using var browser = new SignInBrowser(host.Address);
        using (var known = await browser.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.OK, known.StatusCode);
        }

        // Unknown once its 1 s lifetime is over: the authorize endpoint refuses the client_id.
        await Eventually.UntilAsync(
            async _ =>
            {
                using var response = await browser.GetAsync(url);
                return response.StatusCode;
            },
            status => status == HttpStatusCode.BadRequest, TimeSpan.FromSeconds(15), "the registration to expire (authorize answering 400)",
            interval: TimeSpan.FromMilliseconds(100), cancellationToken: TestContext.Current.CancellationToken);
    }

    internal static async Task<System.Text.Json.JsonElement> RegisterAsync(HttpClient client, object metadata)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/connect/register", UriKind.Relative), metadata, TestContext.Current.CancellationToken);
        var body = await response.ReadJsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return body;
    }
}
