using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace EndToEnd.Tests.Auth;

/// <summary>The hostile cases of the sign-in, against the real app model's KeyService (Redis-backed codes and tokens).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class InteractiveSignInAttackTests(EndToEndAppModel model)
{
    private const string RedirectUri = "http://127.0.0.1/e2e/callback";

    [Fact]
    public async Task PKCE_redirect_uri_code_replay_consent_forgery_and_refresh_token_reuse_are_refused_with_the_RFC_errors()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var http = model.CreateHttpClient(model.KeyServices[0]);
        using var browser = new BrowserSignIn(model.DevUserPassword);
        var clientId = await RegisterAsync(http, cancellationToken);

        // PKCE missing or plain, and redirect URIs that are not the registered one.
        var (verifier, challenge) = Pkce();
        Assert.Equal("invalid_request", ErrorAt(await browser.OpenAsync(Authorize(clientId, null, "S256"), cancellationToken)));
        Assert.Equal("invalid_request", ErrorAt(await browser.OpenAsync(Authorize(clientId, challenge, "plain"), cancellationToken)));
        foreach (var redirect in new[] { "https://evil.example/e2e/callback", RedirectUri + "/../evil", "http://127.0.0.1@evil.example/e2e/callback" })
        {
            using var page = await browser.OpenAsync(Authorize(clientId, challenge, "S256", redirect), cancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
            Assert.Null(page.Headers.Location);
        }

        // A consent form posted without its anti-forgery token issues nothing.
        using var forged = await browser.ForgeConsentAsync(Authorize(clientId, challenge, "S256"), cancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null(forged.Headers.Location);

        // A wrong verifier, then a code used twice.
        var code = (await browser.AuthorizeAsync(Authorize(clientId, challenge, "S256"), cancellationToken))["code"];
        Assert.Equal("invalid_grant", await TokenErrorAsync(http, [new("grant_type", "authorization_code"), new("code", code), new("code_verifier", Pkce().Verifier),
            new("redirect_uri", RedirectUri), new("client_id", clientId)], cancellationToken));
        (verifier, challenge) = Pkce();
        code = (await browser.AuthorizeAsync(Authorize(clientId, challenge, "S256"), cancellationToken))["code"];
        List<KeyValuePair<string, string>> redeem = [new("grant_type", "authorization_code"), new("code", code), new("code_verifier", verifier),
            new("redirect_uri", RedirectUri), new("client_id", clientId)];
        var first = await TokensAsync(http, redeem, cancellationToken);
        Assert.Equal("invalid_grant", await TokenErrorAsync(http, redeem, cancellationToken));

        // The replay revoked what the first redemption got; a new sign-in, then reuse of a rotated refresh token.
        Assert.Equal("invalid_grant", await TokenErrorAsync(http, Refresh(clientId, first.GetProperty("refresh_token").GetString()!), cancellationToken));
        (verifier, challenge) = Pkce();
        code = (await browser.AuthorizeAsync(Authorize(clientId, challenge, "S256"), cancellationToken))["code"];
        var tokens = await TokensAsync(http, [new("grant_type", "authorization_code"), new("code", code), new("code_verifier", verifier),
            new("redirect_uri", RedirectUri), new("client_id", clientId)], cancellationToken);
        var used = tokens.GetProperty("refresh_token").GetString()!;
        var next = (await TokensAsync(http, Refresh(clientId, used), cancellationToken)).GetProperty("refresh_token").GetString()!;
        Assert.Equal("invalid_grant", await TokenErrorAsync(http, Refresh(clientId, used), cancellationToken));
        Assert.Equal("invalid_grant", await TokenErrorAsync(http, Refresh(clientId, next), cancellationToken));
    }

    private Uri Authorize(string clientId, string? challenge, string method, string redirectUri = RedirectUri) => new(QueryHelpers.AddQueryString(
        model.Issuer + "/connect/authorize",
        new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = redirectUri, ["state"] = "e2e", ["resource"] = model.Audience,
            ["scope"] = "tot:read", ["code_challenge"] = challenge, ["code_challenge_method"] = method,
        }.Where(p => p.Value is not null)));

    private static string? ErrorAt(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
            Assert.Equal("e2e", query["state"].ToString());
            return query["error"];
        }
    }

    private static (string Verifier, string Challenge) Pkce()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static List<KeyValuePair<string, string>> Refresh(string clientId, string token) =>
        [new("grant_type", "refresh_token"), new("refresh_token", token), new("client_id", clientId)];

    private static async Task<string> RegisterAsync(HttpClient http, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/connect/register", new { redirect_uris = new[] { RedirectUri }, client_name = "e2e attacker test" }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("client_id").GetString()!;
    }

    private static async Task<JsonElement> TokensAsync(HttpClient http, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form), cancellationToken);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body;
    }

    private static async Task<string?> TokenErrorAsync(HttpClient http, List<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(form), cancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("error").GetString();
    }
}
