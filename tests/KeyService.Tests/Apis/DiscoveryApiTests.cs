using System.Net;
using System.Text.Json;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Apis;

public sealed class DiscoveryApiTests(KeyServiceFixture fixture) : IClassFixture<KeyServiceFixture>
{
    [Fact]
    public async Task Both_metadata_documents_agree_and_point_at_endpoints_that_answer()
    {
        var openId = await GetJsonAsync("/.well-known/openid-configuration");
        var oauth = await GetJsonAsync("/.well-known/oauth-authorization-server");
        Assert.Equal(openId.GetRawText(), oauth.GetRawText());

        Assert.Equal(TestSettings.Issuer, openId.GetProperty("issuer").GetString());
        var jwksUri = new Uri(openId.GetProperty("jwks_uri").GetString()!);
        var tokenUri = new Uri(openId.GetProperty("token_endpoint").GetString()!);
        Assert.StartsWith(TestSettings.Issuer + "/", jwksUri.AbsoluteUri, StringComparison.Ordinal);
        Assert.StartsWith(TestSettings.Issuer + "/", tokenUri.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(["client_credentials"], Strings(openId, "grant_types_supported"));
        Assert.Equal(["client_secret_basic", "client_secret_post"], Strings(openId, "token_endpoint_auth_methods_supported"));
        Assert.Equal(["keys:admin", "tot:read", "tot:write"], Strings(openId, "scopes_supported"));

        // The advertised paths are the ones this server answers (the issuer host is the public name, not the test port).
        using var jwks = await fixture.Client.GetAsync(new Uri(jwksUri.PathAndQuery, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, jwks.StatusCode);
        Assert.True((await jwks.ReadJsonAsync()).GetProperty("keys").GetArrayLength() > 0);

        var token = await fixture.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret);
        Assert.False(string.IsNullOrEmpty(token));
        using var tokenEndpoint = await fixture.Client.PostAsync(new Uri(tokenUri.PathAndQuery, UriKind.Relative),
            new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("client_id", TestSettings.DevClient), new("client_secret", TestSettings.DevSecret)]),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, tokenEndpoint.StatusCode);
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await fixture.Client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        return await response.ReadJsonAsync();
    }

    private static string[] Strings(JsonElement document, string name) =>
        [.. document.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
