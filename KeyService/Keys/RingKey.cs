using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace KeyService.Keys;

/// <summary>
/// One key of the ring in memory: its schedule, the decrypted private key (for signing, never serialized in clear),
/// the public parameters for the JWKS and the encrypted form it is stored as.
/// </summary>
public sealed class RingKey
{
    public RingKey(KeyMetadata metadata, RSA rsa, string protectedPrivateKey)
    {
        Metadata = metadata;
        Rsa = rsa;
        ProtectedPrivateKey = protectedPrivateKey;
        var publicKey = rsa.ExportParameters(includePrivateParameters: false);
        Modulus = Base64UrlEncoder.Encode(publicKey.Modulus);
        Exponent = Base64UrlEncoder.Encode(publicKey.Exponent);
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(rsa) { KeyId = metadata.Kid }, SecurityAlgorithms.RsaSha256);
        PublicKey = new RsaSecurityKey(publicKey) { KeyId = metadata.Kid };
    }

    public KeyMetadata Metadata { get; }

    public string Kid => Metadata.Kid;

    public RSA Rsa { get; }

    /// <summary>Base64 of the AES-256-GCM envelope produced by <see cref="KeyProtector"/>.</summary>
    public string ProtectedPrivateKey { get; }

    /// <summary>Base64url <c>n</c>.</summary>
    public string Modulus { get; }

    /// <summary>Base64url <c>e</c>.</summary>
    public string Exponent { get; }

    public SigningCredentials SigningCredentials { get; }

    /// <summary>The public half, for validating our own tokens (admin API).</summary>
    public RsaSecurityKey PublicKey { get; }

    /// <summary>The same key material under a new schedule (retirement moved by a rotation).</summary>
    public RingKey WithMetadata(KeyMetadata metadata) =>
        metadata == Metadata ? this : new RingKey(metadata, Rsa, ProtectedPrivateKey);
}
