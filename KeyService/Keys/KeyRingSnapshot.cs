using System.Security.Cryptography;
using System.Text.Json;

namespace KeyService.Keys;

/// <summary>
/// A ring together with its precomputed JWKS: the UTF-8 bytes served as they are and their strong ETag. Built once
/// per ring change, so a JWKS request costs a reference read.
/// </summary>
public sealed class KeyRingSnapshot
{
    public static readonly KeyRingSnapshot Empty = new(KeyRing.Empty, []);

    public KeyRingSnapshot(KeyRing ring, byte[] documentHash)
    {
        Ring = ring;
        DocumentHash = documentHash;
        Jwks = BuildJwks(ring);
        ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(Jwks))}\"";
    }

    public KeyRing Ring { get; }

    /// <summary>SHA-256 of the stored document this ring was read from (change detection on re-read).</summary>
    public byte[] DocumentHash { get; }

    public byte[] Jwks { get; }

    public string ETag { get; }

    private static byte[] BuildJwks(KeyRing ring)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("keys");
            foreach (var key in ring.Keys.OrderBy(k => k.Metadata.Activates))
            {
                // Public members only (RFC 7517/7518): never d, p, q, dp, dq, qi.
                writer.WriteStartObject();
                writer.WriteString("kty", "RSA");
                writer.WriteString("use", "sig");
                writer.WriteString("alg", "RS256");
                writer.WriteString("kid", key.Kid);
                writer.WriteString("n", key.Modulus);
                writer.WriteString("e", key.Exponent);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
