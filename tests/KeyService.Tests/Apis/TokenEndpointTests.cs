using System.Net;
using System.Net.Http.Headers;
using System.Text;
using KeyService.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace KeyService.Tests.Apis;

public sealed class TokenEndpointTests(KeyServiceFixture fixture) : IClassFixture<KeyServiceFixture>
{
    private static readonly (string, string) Dev = (TestSettings.DevClient, TestSettings.DevSecret);

    [Fact]
    public async Task Issues_an_RFC_9068_token_that_validates_with_only_the_JWKS_document()
    {
        using var response = await fixture.Client.PostTokenAsync([new("grant_type", "client_credentials")], Dev);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Contains("no-cache", response.Headers.Pragma.ToString(), StringComparison.Ordinal);
        var body = await response.ReadJsonAsync();
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(900, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("tot:read tot:write", body.GetProperty("scope").GetString());

        var jwks = await fixture.Client.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), TestContext.Current.CancellationToken);
        var result = await JwksValidator.ValidateAsync(body.GetProperty("access_token").GetString()!, jwks);
        Assert.True(result.IsValid, result.Exception?.Message);

        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal("RS256", token.Alg);
        Assert.Equal("at+jwt", token.Typ);
        Assert.Contains(token.Kid, jwks, StringComparison.Ordinal);
        Assert.Equal(TestSettings.Issuer, token.Issuer);
        Assert.Equal([TestSettings.McpAudience], token.Audiences);
        Assert.Equal(TestSettings.DevClient, token.Subject);
        Assert.Equal(TestSettings.DevClient, token.GetClaim("client_id").Value);
        Assert.Equal("tot:read tot:write", token.GetClaim("scope").Value);
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.Equal(token.IssuedAt, token.ValidFrom);
        Assert.Equal(TimeSpan.FromMinutes(15), token.ValidTo - token.IssuedAt);
    }

    [Fact]
    public async Task Form_authentication_with_a_scope_subset_and_explicit_resource_works()
    {
        using var response = await fixture.Client.PostTokenAsync(
        [
            new("grant_type", "client_credentials"), new("client_id", TestSettings.DevClient), new("client_secret", TestSettings.DevSecret),
            new("scope", "tot:read"), new("resource", TestSettings.McpAudience),
        ]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("tot:read", (await response.ReadJsonAsync()).GetProperty("scope").GetString());
    }

    public static TheoryData<string, string[], bool, string?, HttpStatusCode, string> ErrorCases => new()
    {
        { "missing grant_type", [], true, null, HttpStatusCode.BadRequest, "invalid_request" },
        { "password grant", ["grant_type=password", "username=a", "password=b"], true, null, HttpStatusCode.BadRequest, "unsupported_grant_type" },
        { "authorization_code grant", ["grant_type=authorization_code", "code=x"], true, null, HttpStatusCode.BadRequest, "unsupported_grant_type" },
        { "no client authentication", ["grant_type=client_credentials"], false, null, HttpStatusCode.Unauthorized, "invalid_client" },
        { "unknown client", ["grant_type=client_credentials", "client_id=nobody", "client_secret=x"], false, null, HttpStatusCode.Unauthorized, "invalid_client" },
        { "wrong secret", ["grant_type=client_credentials", "client_id=dev", "client_secret=wrong"], false, null, HttpStatusCode.Unauthorized, "invalid_client" },
        { "Bearer instead of Basic", ["grant_type=client_credentials"], false, "Bearer abc", HttpStatusCode.Unauthorized, "invalid_client" },
        { "malformed Basic", ["grant_type=client_credentials"], false, "Basic !!!", HttpStatusCode.Unauthorized, "invalid_client" },
        { "scope escalation", ["grant_type=client_credentials", "scope=tot:read keys:admin"], true, null, HttpStatusCode.BadRequest, "invalid_scope" },
        { "unknown scope", ["grant_type=client_credentials", "scope=openid"], true, null, HttpStatusCode.BadRequest, "invalid_scope" },
        { "foreign resource", ["grant_type=client_credentials", "resource=https://evil.example/mcp"], true, null, HttpStatusCode.BadRequest, "invalid_target" },
        { "resource that is not a URL", ["grant_type=client_credentials", "resource=mcp"], true, null, HttpStatusCode.BadRequest, "invalid_target" },
        { "two resources", ["grant_type=client_credentials", "resource=http://localhost:5102/mcp", "resource=http://keyservice.test"], true, null, HttpStatusCode.BadRequest, "invalid_target" },
        { "repeated parameter", ["grant_type=client_credentials", "scope=tot:read", "scope=tot:write"], true, null, HttpStatusCode.BadRequest, "invalid_request" },
        { "Basic and client_secret together", ["grant_type=client_credentials", "client_secret=dev-secret"], true, null, HttpStatusCode.BadRequest, "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public async Task Errors_have_the_RFC_6749_section_5_2_shape(string because, string[] form, bool basic, string? authorization, HttpStatusCode status, string error)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(form.Select(p => p.Split('=', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1]))),
        };
        if (basic)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestSettings.DevClient}:{TestSettings.DevSecret}")));
        }
        else if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.True(status == response.StatusCode, $"{because}: {(int)response.StatusCode}");
        var body = await response.ReadJsonAsync();
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.True(body.TryGetProperty("error_description", out _));
        Assert.False(body.TryGetProperty("access_token", out _));
        Assert.True(response.Headers.CacheControl?.NoStore, because);
        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        }
    }

    [Fact]
    public async Task Json_body_is_an_invalid_request()
    {
        using var content = new StringContent("""{"grant_type":"client_credentials"}""", Encoding.UTF8, "application/json");
        using var response = await fixture.Client.PostAsync(new Uri("/connect/token", UriKind.Relative), content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await response.ReadJsonAsync()).GetProperty("error").GetString());
    }
}
