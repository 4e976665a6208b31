using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KeyService.Tests.Infrastructure;

/// <summary>
/// A resource server's view: validates tokens with Microsoft.IdentityModel using nothing but a JWKS document,
/// the way TotService will (RS256, at+jwt, issuer, audience, lifetime with 30 s skew).
/// </summary>
public static class JwksValidator
{
    private static readonly JsonWebTokenHandler Handler = new();

    public static Task<TokenValidationResult> ValidateAsync(string token, string jwksJson, Func<DateTimeOffset>? now = null, bool validateLifetime = true) =>
        ValidateAsync(token, new JsonWebKeySet(jwksJson).GetSigningKeys(), now, validateLifetime);

    public static Task<TokenValidationResult> ValidateAsync(string token, IList<SecurityKey> signingKeys, Func<DateTimeOffset>? now = null, bool validateLifetime = true)
    {
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKeys = signingKeys,
            ValidIssuer = TestSettings.Issuer,
            ValidAudience = TestSettings.McpAudience,
            ValidTypes = ["at+jwt"],
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ClockSkew = TimeSpan.FromSeconds(30),
            ValidateLifetime = validateLifetime,
            RequireExpirationTime = true,
            TryAllIssuerSigningKeys = false,
        };
        if (now is not null)
        {
            parameters.LifetimeValidator = (notBefore, expires, _, p) =>
                notBefore <= now().UtcDateTime + p.ClockSkew && now().UtcDateTime - p.ClockSkew < expires;
        }
        return Handler.ValidateTokenAsync(token, parameters);
    }
}
