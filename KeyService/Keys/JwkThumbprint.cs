using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace KeyService.Keys;

/// <summary>RFC 7638 JWK thumbprint of an RSA public key: base64url(SHA-256 of the canonical <c>{"e","kty","n"}</c> JSON).</summary>
public static class JwkThumbprint
{
    public static string ForRsa(RSAParameters publicKey)
    {
        // Members in lexicographic order, no whitespace; base64url values need no JSON escaping.
        var canonical = $"{{\"e\":\"{Base64UrlEncoder.Encode(publicKey.Exponent)}\",\"kty\":\"RSA\",\"n\":\"{Base64UrlEncoder.Encode(publicKey.Modulus)}\"}}";
        return Base64UrlEncoder.Encode(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
