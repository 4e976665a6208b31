using System.Security.Cryptography;
using System.Text.Json;

namespace KeyService.Keys;

/// <summary>
/// The stored form of a ring: schedules and public parameters in clear, private keys only as
/// <see cref="KeyProtector"/> envelopes. Loading checks every key against its <c>kid</c> thumbprint.
/// </summary>
public sealed class KeyRingSerializer(KeyProtector protector)
{
    private const int FormatVersion = 1;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] Serialize(KeyRing ring) => JsonSerializer.SerializeToUtf8Bytes(
        new StoredRing(FormatVersion, [.. ring.Keys.Select(k => new StoredKey(
            k.Kid, k.Metadata.Created, k.Metadata.Activates, k.Metadata.Retires, k.Metadata.Removes,
            k.Modulus, k.Exponent, k.ProtectedPrivateKey))]),
        Json);

    /// <summary>Creates the in-memory form of a newly generated key, encrypting its private part.</summary>
    public RingKey Seal(KeySchedule schedule, RSA rsa)
    {
        var kid = JwkThumbprint.ForRsa(rsa.ExportParameters(includePrivateParameters: false));
        return new RingKey(schedule.WithKid(kid), rsa, protector.Protect(kid, rsa));
    }

    /// <summary>Reads a ring, reusing already decrypted keys of <paramref name="current"/>.</summary>
    /// <exception cref="InvalidDataException">The document is not a key ring this version understands.</exception>
    /// <exception cref="CryptographicException">A private key does not decrypt under the key-encryption key.</exception>
    public KeyRing Deserialize(ReadOnlySpan<byte> document, KeyRing current)
    {
        StoredRing? stored;
        try
        {
            stored = JsonSerializer.Deserialize<StoredRing>(document, Json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("The key ring document is not valid JSON.", ex);
        }
        if (stored is not { Version: FormatVersion, Keys: not null })
        {
            throw new InvalidDataException("The key ring document has an unknown format version.");
        }

        var keys = new List<RingKey>(stored.Keys.Count);
        foreach (var key in stored.Keys)
        {
            var metadata = new KeyMetadata(key.Kid, key.Created, key.Activates, key.Retires, key.Removes);
            if (current.Find(key.Kid) is { } known && known.ProtectedPrivateKey == key.Key)
            {
                keys.Add(known.WithMetadata(metadata));
                continue;
            }

            var rsa = protector.Unprotect(key.Kid, key.Key);
            if (JwkThumbprint.ForRsa(rsa.ExportParameters(includePrivateParameters: false)) != key.Kid)
            {
                rsa.Dispose();
                throw new InvalidDataException($"Key '{key.Kid}' does not match its thumbprint.");
            }
            keys.Add(new RingKey(metadata, rsa, key.Key));
        }
        return new KeyRing(keys);
    }

    private sealed record StoredRing(int Version, List<StoredKey>? Keys);

    private sealed record StoredKey(
        string Kid, DateTimeOffset Created, DateTimeOffset Activates, DateTimeOffset Retires, DateTimeOffset Removes,
        string N, string E, string Key);
}
