using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using KeyService.Options;
using Microsoft.Extensions.Options;

namespace KeyService.Tokens;

/// <summary>
/// Checks client secrets against their PBKDF2 hashes and remembers a successful verdict for
/// <see cref="VerdictLifetime"/>. Unknown client ids are checked against a dummy hash of the same cost, so an answer's
/// timing does not tell whether an id exists.
/// </summary>
/// <remarks>
/// Why a cache: PBKDF2 at 100,000 iterations costs tens of milliseconds of CPU, which would cap the token endpoint at a
/// few dozen tokens per second per core, far below the RS256 signing rate. Client secrets are long random strings
/// reused by machines, so one slow verification followed by a short-lived verdict keeps the stored hash slow
/// (offline attacks on a leaked configuration stay expensive) while the endpoint runs at signing speed.
/// The cache key (<see cref="Fingerprint"/>) is HMAC-SHA256 under a per-process random key of (client id, stored
/// hash, presented secret): the secret itself is never held, and the key cannot be brute-forced offline without the
/// process's random key. Only successes are cached; failures always pay the full cost and are bounded by
/// <see cref="ClientFailureLimiter"/>.
/// </remarks>
public sealed class ClientSecretVerifier
{
    public static readonly TimeSpan VerdictLifetime = TimeSpan.FromMinutes(5);
    private const int MaxEntries = 10_000;
    private const int DefaultIterations = 100_000;

    private readonly TimeProvider _time;
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);
    private readonly ClientOptions _dummy;

    public ClientSecretVerifier(IOptions<KeyServiceOptions> options, TimeProvider time)
    {
        _time = time;
        _dummy = DummyClient(options.Value.Clients);
    }

    /// <summary>The cache key of a presented secret; for an unknown id (<paramref name="client"/> null) over the dummy hash.</summary>
    public string Fingerprint(ClientOptions? client, string clientId, string secret) => Convert.ToBase64String(
        HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes($"{clientId}\0{(client ?? _dummy).SecretHash}\0{secret}")));

    /// <summary>True when this secret was verified for this client within <see cref="VerdictLifetime"/>.</summary>
    public bool IsKnownGood(string fingerprint) => _verified.TryGetValue(fingerprint, out var expires) && expires > _time.GetUtcNow();

    /// <summary>The full check (PBKDF2, or the dummy's for an unknown id, which never matches); a success is remembered.</summary>
    public bool Verify(ClientOptions? client, string secret, string fingerprint)
    {
        var checkedAgainst = client ?? _dummy;
        var matches = checkedAgainst.SecretHash is { Length: > 0 } hash
            ? ClientSecretHasher.Verify(secret, hash)
            : checkedAgainst.Secret is { Length: > 0 } plain && PlainEquals(secret, plain);
        var valid = matches && client is not null;
        if (valid)
        {
            var now = _time.GetUtcNow();
            Remember(fingerprint, now + VerdictLifetime, now);
        }
        return valid;
    }

    /// <summary>
    /// Stands in for unknown ids: hashed like most configured clients (same iterations, same cost), or a plain secret
    /// when only Development's plain secrets are configured.
    /// </summary>
    private static ClientOptions DummyClient(List<ClientOptions> clients)
    {
        var unguessable = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var hashed = clients.Select(c => c.SecretHash is { } h ? ClientSecretHasher.IterationsOf(h) : null).OfType<int>().ToList();
        if (hashed.Count == 0 && clients.Count > 0)
        {
            return new ClientOptions { Secret = unguessable };
        }
        var iterations = hashed.Count == 0 ? DefaultIterations : hashed.GroupBy(i => i).MaxBy(g => g.Count())!.Key;
        return new ClientOptions { SecretHash = ClientSecretHasher.Hash(unguessable, iterations) };
    }

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
