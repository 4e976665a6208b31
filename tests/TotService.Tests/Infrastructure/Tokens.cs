using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TotService.Tests.Infrastructure;

/// <summary>What a token says; defaults describe a valid KeyService token for the test TotService.</summary>
public sealed record TokenSpec
{
    public string Issuer { get; init; } = TestSettings.Issuer;
    public string Audience { get; init; } = TestSettings.Audience;
    public string Subject { get; init; } = "client-" + Guid.NewGuid().ToString("N")[..8];
    public string Scope { get; init; } = "tot:read tot:write";
    public string Type { get; init; } = "at+jwt";
    public TimeSpan NotBeforeOffset { get; init; } = TimeSpan.FromSeconds(-5);
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromMinutes(15);
    public IDictionary<string, object> ExtraHeaders { get; init; } = new Dictionary<string, object>();
    public IDictionary<string, object> ExtraClaims { get; init; } = new Dictionary<string, object>();
}

/// <summary>Mints tokens the way KeyService does (and the ways an attacker would).</summary>
public static class Tokens
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Create(SecurityKey signingKey, TokenSpec? spec = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        spec ??= new TokenSpec();
        var notBefore = DateTime.UtcNow + spec.NotBeforeOffset;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = spec.Subject,
            ["client_id"] = spec.Subject,
            ["scope"] = spec.Scope,
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        foreach (var (name, value) in spec.ExtraClaims)
        {
            claims[name] = value;
        }
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = spec.Issuer,
            Audience = spec.Audience,
            Claims = claims,
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = notBefore + spec.Lifetime,
            TokenType = spec.Type,
            AdditionalHeaderClaims = spec.ExtraHeaders,
            SigningCredentials = new SigningCredentials(signingKey, algorithm),
        });
    }

    public static string Valid(TestSigningKey key, string scope = "tot:read tot:write", string? subject = null) =>
        Create(key.SecurityKey, new TokenSpec { Scope = scope, Subject = subject ?? "client-" + Guid.NewGuid().ToString("N")[..8] });

    /// <summary>An unsigned token (<c>alg=none</c>) carrying otherwise valid claims and a known kid.</summary>
    public static string AlgNone(TestSigningKey key)
    {
        var header = Encode(new JsonObject { ["alg"] = "none", ["typ"] = "at+jwt", ["kid"] = key.KeyId });
        var payload = new JsonWebToken(Valid(key)).EncodedPayload;
        return $"{header}.{payload}.";
    }

    /// <summary>Algorithm confusion: HS256 with the RSA public key (PEM bytes) as the HMAC secret, known kid.</summary>
    public static string HmacWithPublicKey(TestSigningKey key)
    {
        var secret = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key.PublicKeyPem())) { KeyId = key.KeyId };
        return Create(secret, algorithm: SecurityAlgorithms.HmacSha256);
    }

    /// <summary>A validly signed token whose payload was then changed (scope widened).</summary>
    public static string Tampered(TestSigningKey key)
    {
        var parts = Valid(key, scope: "tot:read").Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["scope"] = "tot:read tot:write keys:admin";
        return $"{parts[0]}.{Encode(payload)}.{parts[2]}";
    }

    private static string Encode(JsonNode node) =>
        Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(node.ToJsonString(new JsonSerializerOptions())));

}
