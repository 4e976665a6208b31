using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace TotService.Tests.Infrastructure;

/// <summary>An RSA key as KeyService would hold it: kid = RFC 7638 thumbprint, public JWK for the JWKS.</summary>
public sealed class TestSigningKey : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public TestSigningKey()
    {
        var publicJwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(false)));
        KeyId = Base64UrlEncoder.Encode(publicJwk.ComputeJwkThumbprint());
        SecurityKey = new RsaSecurityKey(_rsa) { KeyId = KeyId };
    }

    public string KeyId { get; }

    public RsaSecurityKey SecurityKey { get; }

    /// <summary>The same private key announced under another kid (for unknown-kid tokens).</summary>
    public RsaSecurityKey WithKeyId(string keyId) => new(_rsa) { KeyId = keyId };

    /// <summary>Public parameters only, as a JWKS entry.</summary>
    public Dictionary<string, string> PublicJwk()
    {
        var parameters = _rsa.ExportParameters(false);
        return new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = "RS256",
            ["kid"] = KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    public string PublicKeyPem() => _rsa.ExportSubjectPublicKeyInfoPem();

    /// <summary>
    /// The start of each private parameter in base64 and base64url, and of the PEM body: what must never be logged
    /// (a prefix, so a cut or partial leak is caught too).
    /// </summary>
    public IEnumerable<string> PrivateMaterial()
    {
        const int Prefix = 24;
        var parameters = _rsa.ExportParameters(true);
        foreach (var part in new[] { parameters.D, parameters.P, parameters.Q, parameters.DP, parameters.DQ, parameters.InverseQ })
        {
            yield return Convert.ToBase64String(part!)[..Prefix];
            yield return Base64UrlEncoder.Encode(part)[..Prefix];
        }
        yield return _rsa.ExportPkcs8PrivateKeyPem().Split('\n')[1][..Prefix];
    }

    public void Dispose() => _rsa.Dispose();
}
