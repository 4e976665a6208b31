using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TotService.Authentication;
using TotService.Identity;

namespace TotService.Tests.Authentication;

/// <summary>The validated-token cache never accepts what full validation would refuse.</summary>
public sealed class CachingJsonWebTokenHandlerTests : IDisposable
{
    // Starts at the wall clock: full validation (the base handler) reads the wall clock, the cache reads this one.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _key;

    public CachingJsonWebTokenHandlerTests() => _key = new RsaSecurityKey(_rsa) { KeyId = "k1" };

    [Fact]
    public async Task A_remembered_token_is_valid_again_with_its_one_shared_read_only_identity()
    {
        var handler = new CachingJsonWebTokenHandler(_time) { MapInboundClaims = false };
        var token = Sign(TimeSpan.FromMinutes(15));

        var first = await handler.ValidateTokenAsync(token, Parameters(_key));
        var second = await handler.ValidateTokenAsync(token, Parameters(_key));

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        var caller = Assert.IsType<CallerIdentity>(second.ClaimsIdentity);
        Assert.Same(first.ClaimsIdentity, caller);
        Assert.Equal("dev", caller.Subject);

        Assert.True(caller.IsAuthenticated);
        // Shared between requests, so nobody may change it.
        Assert.Throws<NotSupportedException>(() => caller.AddClaim(new System.Security.Claims.Claim("scope", "tot:write")));
        Assert.False(caller.TryRemoveClaim(caller.FindFirst("sub")));
        Assert.Equal("dev", caller.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task A_remembered_token_is_refused_once_its_key_is_no_longer_published()
    {
        var handler = new CachingJsonWebTokenHandler(_time) { MapInboundClaims = false };
        var token = Sign(TimeSpan.FromMinutes(15));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(_key))).IsValid);

        var other = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "k2" };
        Assert.False((await handler.ValidateTokenAsync(token, Parameters(other))).IsValid);
    }

    [Fact]
    public async Task A_remembered_token_is_validated_from_scratch_after_it_expires()
    {
        var handler = new CachingJsonWebTokenHandler(_time) { MapInboundClaims = false };
        var token = Sign(TimeSpan.FromMinutes(1));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(_key))).IsValid);

        // Past exp the cache must not answer; full validation (wall clock here) then judges the token on its own.
        _time.Advance(TimeSpan.FromMinutes(2));
        var expired = Parameters(_key);
        expired.LifetimeValidator = (_, expires, _, _) => expires > _time.GetUtcNow().UtcDateTime;
        Assert.False((await handler.ValidateTokenAsync(token, expired)).IsValid);
    }

    [Theory]
    [InlineData("==")]
    [InlineData("=")]
    [InlineData("+")]
    [InlineData(" ")]
    public async Task A_validly_signed_token_spelled_another_way_is_refused(string suffix)
    {
        var handler = new CachingJsonWebTokenHandler(_time) { MapInboundClaims = false };
        var token = Sign(TimeSpan.FromMinutes(15));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters(_key))).IsValid);

        var respelled = await handler.ValidateTokenAsync(token + suffix, Parameters(_key));

        Assert.False(respelled.IsValid);
        Assert.IsType<SecurityTokenMalformedException>(respelled.Exception);
    }

    [Fact]
    public async Task A_token_over_the_size_cap_is_refused_before_parsing()
    {
        var handler = new CachingJsonWebTokenHandler(_time) { MapInboundClaims = false, MaximumTokenSizeInBytes = 100 };

        var result = await handler.ValidateTokenAsync(Sign(TimeSpan.FromMinutes(15)), Parameters(_key));

        Assert.IsType<TokenTooLargeException>(result.Exception);
    }

    [Fact]
    public async Task A_refused_token_is_never_remembered()
    {
        var handler = new CachingJsonWebTokenHandler(_time) { MapInboundClaims = false };
        var token = Sign(TimeSpan.FromMinutes(15));
        var wrongAudience = Parameters(_key);
        wrongAudience.ValidAudience = "http://elsewhere/mcp";

        Assert.False((await handler.ValidateTokenAsync(token, wrongAudience)).IsValid);
        Assert.False((await handler.ValidateTokenAsync(token, wrongAudience)).IsValid);
    }

    [Fact]
    public void The_cache_never_holds_more_than_its_capacity_and_serves_only_until_exp()
    {
        using var cache = new ValidatedTokenCache(_time);
        var jwt = new JsonWebToken(Sign(TimeSpan.FromMinutes(1)));
        var identity = new CallerIdentity(new System.Security.Claims.ClaimsIdentity([new System.Security.Claims.Claim("sub", "dev")], "test"));

        for (var i = 0; i < ValidatedTokenCache.Capacity + 100; i++)
        {
            cache.Remember("token-" + i, jwt, identity, "http://issuer", "at+jwt");
            Assert.True(cache.Count <= ValidatedTokenCache.Capacity, $"{cache.Count} tokens remembered after {i + 1}");
        }
        Assert.True(cache.TryGet("token-0", out _));

        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(cache.TryGet("token-0", out _));
    }

    private string Sign(TimeSpan lifetime)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = "http://issuer",
            Audience = "http://localhost/mcp",
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object> { ["sub"] = "dev", ["scope"] = "tot:read" },
        });
    }

    private static TokenValidationParameters Parameters(SecurityKey key) => new()
    {
        ValidIssuer = "http://issuer",
        ValidAudience = "http://localhost/mcp",
        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        ValidTypes = ["at+jwt"],
        IssuerSigningKeys = [key],
        TryAllIssuerSigningKeys = false,
    };

    public void Dispose() => _rsa.Dispose();
}
