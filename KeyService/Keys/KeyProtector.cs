using System.Security.Cryptography;
using System.Text;

namespace KeyService.Keys;

/// <summary>
/// Encrypts private keys at rest with AES-256-GCM under the key-encryption key. The envelope is
/// <c>version(1) | nonce(12) | tag(16) | ciphertext</c>; the key id is bound as associated data so an envelope
/// cannot be swapped onto another key's entry.
/// </summary>
public sealed class KeyProtector
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _kek;

    public KeyProtector(byte[] keyEncryptionKey, bool isEphemeral)
    {
        if (keyEncryptionKey.Length != 32)
        {
            throw new ArgumentException("The key-encryption key must be 32 bytes.", nameof(keyEncryptionKey));
        }
        _kek = keyEncryptionKey;
        IsEphemeral = isEphemeral;
    }

    /// <summary>True when the key-encryption key was generated for this process (Development without configuration).</summary>
    public bool IsEphemeral { get; }

    public string Protect(string kid, RSA rsa)
    {
        var plaintext = rsa.ExportPkcs8PrivateKey();
        try
        {
            return Convert.ToBase64String(Seal(plaintext, AssociatedData(kid)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <exception cref="CryptographicException">The envelope was not made under this key-encryption key for this key id.</exception>
    public RSA Unprotect(string kid, string protectedKey)
    {
        var plaintext = Open(Convert.FromBase64String(protectedKey), AssociatedData(kid));
        try
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(plaintext, out _);
            return rsa;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Any secret under the key-encryption key, bound to <paramref name="associatedData"/> (what it is for).</summary>
    public byte[] Seal(ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var envelope = new byte[1 + NonceSize + TagSize + plaintext.Length];
        envelope[0] = Version;
        var nonce = envelope.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_kek, TagSize);
        aes.Encrypt(nonce, plaintext, envelope.AsSpan(1 + NonceSize + TagSize), envelope.AsSpan(1 + NonceSize, TagSize), associatedData);
        return envelope;
    }

    /// <exception cref="CryptographicException">The envelope was not sealed under this key-encryption key with this associated data.</exception>
    public byte[] Open(ReadOnlySpan<byte> envelope, ReadOnlySpan<byte> associatedData)
    {
        if (envelope.Length <= 1 + NonceSize + TagSize || envelope[0] != Version)
        {
            throw new CryptographicException("Unknown key envelope format.");
        }
        var plaintext = new byte[envelope.Length - 1 - NonceSize - TagSize];
        using var aes = new AesGcm(_kek, TagSize);
        aes.Decrypt(envelope.Slice(1, NonceSize), envelope[(1 + NonceSize + TagSize)..], envelope.Slice(1 + NonceSize, TagSize), plaintext, associatedData);
        return plaintext;
    }

    private static byte[] AssociatedData(string kid) => Encoding.UTF8.GetBytes("keyservice/v1/" + kid);
}
