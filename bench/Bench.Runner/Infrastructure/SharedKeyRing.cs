using System.Security.Cryptography;
using System.Text.Json;
using KeyService.Keys;
using StackExchange.Redis;

namespace Bench.Runner.Infrastructure;

/// <summary>
/// Reads one key of KeyService's shared ring from Redis (<c>keys:ring</c>) and decrypts its private half with the
/// app model's key-encryption key, the way a KeyService replica does. The runner uses it to sign a token with a key
/// that is published but not yet signing, to measure when TotService starts accepting that key.
/// </summary>
public sealed class SharedKeyRing(IConnectionMultiplexer redis, string keyEncryptionKey)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly KeyProtector _protector = new(Convert.FromBase64String(keyEncryptionKey), isEphemeral: false);

    public async Task<RSA> PrivateKeyAsync(string kid)
    {
        var document = await redis.GetDatabase().StringGetAsync("keys:ring");
        if (document.IsNull)
        {
            throw new InvalidOperationException("The shared key ring is not in Redis.");
        }
        var ring = JsonSerializer.Deserialize<StoredRing>((byte[])document!, Json)
            ?? throw new InvalidDataException("The shared key ring is empty.");
        var key = ring.Keys.SingleOrDefault(k => k.Kid == kid)
            ?? throw new InvalidOperationException($"Key {kid} is not in the shared ring.");
        return _protector.Unprotect(kid, key.Key);
    }

    private sealed record StoredRing(int Version, List<StoredKey> Keys);

    private sealed record StoredKey(string Kid, DateTimeOffset Activates, string Key);
}
