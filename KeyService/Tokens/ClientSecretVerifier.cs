using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using KeyService.Options;

namespace KeyService.Tokens;

/// <summary>
/// Checks client secrets against their PBKDF2 hashes and remembers a successful verdict for
/// <see cref="VerdictLifetime"/>.
/// </summary>
/// <remarks>
/// Why a cache: PBKDF2 at 100,000 iterations costs tens of milliseconds of CPU, which would cap the token endpoint at a
/// few dozen tokens per second per core, far below the RS256 signing rate. Client secrets are long random strings
/// reused by machines, so one slow verification followed by a short-lived verdict keeps the stored hash slow
/// (offline attacks on a leaked configuration stay expensive) while the endpoint runs at signing speed.
/// The cache key is HMAC-SHA256 under a per-process random key of (client id, stored hash, presented secret): the
/// secret itself is never held, and the key cannot be brute-forced offline without the process's random key.
/// Only successes are cached; failures always pay the full cost and are bounded by <see cref="ClientFailureLimiter"/>.
/// </remarks>
public sealed class ClientSecretVerifier(TimeProvider time)
{
    public static readonly TimeSpan VerdictLifetime = TimeSpan.FromMinutes(5);
    private const int MaxEntries = 10_000;

    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    public bool Verify(ClientOptions client, string secret)
    {
        var now = time.GetUtcNow();
        var key = CacheKey(client, secret);
        if (_verified.TryGetValue(key, out var expires) && expires > now)
        {
            return true;
        }

        var valid = client.SecretHash is { Length: > 0 } hash
            ? ClientSecretHasher.Verify(secret, hash)
            : client.Secret is { Length: > 0 } plain && PlainEquals(secret, plain);
        if (valid)
        {
            Remember(key, now + VerdictLifetime, now);
        }
        return valid;
    }

    private string CacheKey(ClientOptions client, string secret) => Convert.ToBase64String(
        HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes($"{client.ClientId}\0{client.SecretHash}\0{secret}")));

    /// <summary>Development-only plain secrets, compared in constant time (hashing first hides the length).</summary>
    private static bool PlainEquals(string presented, string configured) => CryptographicOperations.FixedTimeEquals(
        SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(configured)));

    private void Remember(string key, DateTimeOffset expires, DateTimeOffset now)
    {
        if (_verified.Count >= MaxEntries)
        {
            foreach (var entry in _verified.Where(e => e.Value <= now))
            {
                _verified.TryRemove(entry.Key, out _);
            }
            if (_verified.Count >= MaxEntries)
            {
                _verified.Clear();
            }
        }
        _verified[key] = expires;
    }
}
