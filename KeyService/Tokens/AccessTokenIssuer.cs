using KeyService.Keys;
using KeyService.Options;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KeyService.Tokens;

/// <summary>A signed access token and what it grants.</summary>
public sealed record IssuedToken(string AccessToken, TimeSpan ExpiresIn, string Scope, string KeyId, string Audience, string Jti);

/// <summary>Signs RFC 9068 access tokens (<c>typ=at+jwt</c>, RS256, <c>kid</c> = RFC 7638 thumbprint) with the active key.</summary>
public sealed class AccessTokenIssuer(IOptions<KeyServiceOptions> options, KeyRingCache cache, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="subject">The person a token acts for; a client acting for itself is its own subject.</param>
    /// <returns>Null when no key is active yet (the service is not ready).</returns>
    public IssuedToken? Issue(string clientId, IReadOnlyList<string> scopes, string audience, string? subject = null)
    {
        var now = time.GetUtcNow();
        if (cache.Current.Ring.SigningKeyAt(now) is not { } key)
        {
            return null;
        }

        var lifetime = options.Value.TokenLifetime;
        var scope = string.Join(' ', scopes);
        var jti = Guid.NewGuid().ToString("N");
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = options.Value.Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = key.SigningCredentials,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = subject ?? clientId,
                ["client_id"] = clientId,
                ["scope"] = scope,
                [JwtRegisteredClaimNames.Jti] = jti,
            },
        });
        return new IssuedToken(token, lifetime, scope, key.Kid, audience, jti);
    }
}
