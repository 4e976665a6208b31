using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace KeyService.Tests.Infrastructure;

/// <summary>Asserts that raw bytes contain no encoding of an RSA private key.</summary>
public static class PrivateKeyMaterial
{
    public static void AssertAbsent(byte[] raw, RSA rsa)
    {
        var parameters = rsa.ExportParameters(includePrivateParameters: true);
        var pkcs8 = rsa.ExportPkcs8PrivateKey();
        var pkcs1 = rsa.ExportRSAPrivateKey();
        var needles = new List<(string Name, byte[] Bytes)>
        {
            ("d (raw)", parameters.D!), ("p (raw)", parameters.P!), ("q (raw)", parameters.Q!),
            ("PKCS#8 DER", pkcs8), ("PKCS#1 DER", pkcs1),
        };
        foreach (var (name, value) in new[] { ("d", parameters.D!), ("p", parameters.P!), ("q", parameters.Q!), ("dp", parameters.DP!), ("dq", parameters.DQ!), ("qi", parameters.InverseQ!) })
        {
            needles.Add(($"{name} (base64url)", Encoding.ASCII.GetBytes(Base64UrlEncoder.Encode(value))));
            needles.Add(($"{name} (base64)", Encoding.ASCII.GetBytes(Convert.ToBase64String(value))));
            needles.Add(($"{name} (hex)", Encoding.ASCII.GetBytes(Convert.ToHexString(value))));
            needles.Add(($"{name} (hex, lower)", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(value))));
        }
        needles.Add(("PKCS#8 base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(pkcs8)[..64])));
        needles.Add(("PEM label", "PRIVATE KEY"u8.ToArray()));

        foreach (var (name, bytes) in needles)
        {
            // A 32-byte window of any encoding is proof enough of a leak, and also catches partial copies.
            var window = bytes.AsSpan(0, Math.Min(32, bytes.Length));
            Assert.True(raw.AsSpan().IndexOf(window) < 0, $"private key material found in clear: {name}");
        }
    }
}
