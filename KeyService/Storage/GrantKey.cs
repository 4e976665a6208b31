using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace KeyService.Storage;

/// <summary>Store keys and new secrets for codes and tokens: a secret is looked up by its SHA-256, never stored.</summary>
public static class GrantKey
{
    /// <summary><paramref name="kind"/> and the base64url SHA-256 of <paramref name="secret"/>.</summary>
    public static string Of(string kind, string secret) => kind + ":" + Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>256 random bits, base64url (43 characters).</summary>
    public static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
