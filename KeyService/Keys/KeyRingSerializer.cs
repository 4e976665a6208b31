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

    /// <summary>
    /// A ring holds a handful of keys (active, published, retired within grace); a document with more is refused
    /// before any key is decrypted, so a large body cannot buy seconds of AES and RSA work.
    /// </summary>
    public const int MaxKeys = 64;
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
        CheckShape(stored.Keys);

        var keys = new List<RingKey>(stored.Keys.Count);
        foreach (var key in stored.Keys.OfType<StoredKey>())
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

    /// <summary>Every field present, at most <see cref="MaxKeys"/> keys, no key id twice: checked before decrypting any.</summary>
    private static void CheckShape(List<StoredKey?> keys)
    {
        if (keys.Count > MaxKeys)
        {
            throw new InvalidDataException($"The key ring document holds {keys.Count} keys; at most {MaxKeys} are accepted.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            if (key is not { Kid.Length: > 0, N.Length: > 0, E.Length: > 0, Key.Length: > 0 })
            {
                throw new InvalidDataException("A key of the ring document lacks its kid, public parameters or protected key.");
            }
            if (!seen.Add(key.Kid))
            {
                throw new InvalidDataException($"Key '{key.Kid}' appears more than once.");
            }
        }
    }

    private sealed record StoredRing(int Version, List<StoredKey?>? Keys);

    private sealed record StoredKey(
        string Kid, DateTimeOffset Created, DateTimeOffset Activates, DateTimeOffset Retires, DateTimeOffset Removes,
        string N, string E, string Key);
}
