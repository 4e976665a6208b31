using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Apis;

public sealed class JwksApiTests(KeyServiceFixture fixture) : IClassFixture<KeyServiceFixture>
{
    private static readonly Uri Jwks = new("/.well-known/jwks.json", UriKind.Relative);

    [Fact]
    public async Task Contains_public_members_only()
    {
        using var response = await fixture.Client.GetAsync(Jwks, TestContext.Current.CancellationToken);
        var keys = (await response.ReadJsonAsync()).GetProperty("keys").EnumerateArray().ToList();

        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            Assert.Equal(["alg", "e", "kid", "kty", "n", "use"], key.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("RSA", key.GetProperty("kty").GetString());
            Assert.Equal("sig", key.GetProperty("use").GetString());
            Assert.Equal("RS256", key.GetProperty("alg").GetString());
            foreach (var secret in new[] { "d", "p", "q", "dp", "dq", "qi" })
            {
                Assert.False(key.TryGetProperty(secret, out _), secret);
            }
        }
        foreach (var ringKey in fixture.Host.Cache.Current.Ring.Keys)
        {
            PrivateKeyMaterial.AssertAbsent(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), ringKey.Rsa);
        }
    }

    [Fact]
    public async Task Is_cacheable_with_a_strong_ETag_and_answers_304_to_If_None_Match()
    {
        using var first = await fixture.Client.GetAsync(Jwks, TestContext.Current.CancellationToken);
        var etag = first.Headers.ETag;

        Assert.NotNull(etag);
        Assert.False(etag.IsWeak);
        Assert.True(first.Headers.CacheControl?.Public);
        Assert.Equal(TimeSpan.FromHours(1), first.Headers.CacheControl?.MaxAge);
        Assert.Equal("application/json", first.Content.Headers.ContentType?.MediaType);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, Jwks);
        conditional.Headers.IfNoneMatch.Add(etag);
        using var notModified = await fixture.Client.SendAsync(conditional, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(etag, notModified.Headers.ETag);

        using var stale = new HttpRequestMessage(HttpMethod.Get, Jwks);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var changed = await fixture.Client.SendAsync(stale, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Theory]
    [InlineData("W/{0}")]
    [InlineData("\"other\", {0}")]
    [InlineData("*")]
    public async Task If_None_Match_uses_the_weak_comparison_and_accepts_lists_and_any(string format)
    {
        var etag = fixture.Host.Cache.Current.ETag;
        using var request = new HttpRequestMessage(HttpMethod.Get, Jwks);
        request.Headers.TryAddWithoutValidation("If-None-Match", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, etag));

        using var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task A_malformed_If_None_Match_gets_the_full_document()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Jwks);
        request.Headers.TryAddWithoutValidation("If-None-Match", "no quotes, \"unterminated");

        using var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(fixture.Host.Cache.Current.Jwks, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Allows_any_origin_for_GET()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Jwks);
        request.Headers.Add("Origin", "https://app.example");
        using var response = await fixture.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task Serves_the_same_precomputed_bytes_until_the_ring_changes()
    {
        var before = fixture.Host.Cache.Current;
        using var response = await fixture.Client.GetAsync(Jwks, TestContext.Current.CancellationToken);

        Assert.Equal(before.Jwks, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Same(before.Jwks, fixture.Host.Cache.Current.Jwks);
        Assert.Equal(fixture.Host.Cache.Current.Ring.Keys.Count, JsonDocument.Parse(before.Jwks).RootElement.GetProperty("keys").GetArrayLength());
    }
}
