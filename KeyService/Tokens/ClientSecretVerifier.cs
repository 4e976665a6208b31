using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using KeyService.Options;
using Microsoft.Extensions.Options;

namespace KeyService.Tokens;

/// <summary>
/// Checks client secrets against their PBKDF2 hashes and remembers a successful verdict for
/// <see cref="VerdictLifetime"/>. Unknown client ids are checked against a dummy hash of the same cost, and
/// Development's plain secrets against a hash of them made at start, so an answer's timing tells neither whether an id
/// exists nor how its secret is configured.
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

    /// <summary>Development's plain secrets, hashed at start at the dummy's cost (by client id).</summary>
    private readonly Dictionary<string, string> _plainHashes;

    public ClientSecretVerifier(IOptions<KeyServiceOptions> options, TimeProvider time)
    {
        _time = time;
        var clients = options.Value.Clients;
        var iterations = CommonIterations(clients);
        _dummy = new ClientOptions { SecretHash = ClientSecretHasher.Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), iterations) };
        _plainHashes = clients.Where(c => string.IsNullOrEmpty(c.SecretHash) && !string.IsNullOrEmpty(c.Secret))
            .ToDictionary(c => c.ClientId, c => ClientSecretHasher.Hash(c.Secret!, iterations), StringComparer.Ordinal);
    }

    /// <summary>The cache key of a presented secret; for an unknown id (<paramref name="client"/> null) over the dummy hash.</summary>
    public string Fingerprint(ClientOptions? client, string clientId, string secret) => Convert.ToBase64String(
        HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes($"{clientId}\0{(client ?? _dummy).SecretHash}\0{secret}")));

    /// <summary>True when this secret was verified for this client within <see cref="VerdictLifetime"/>.</summary>
    public bool IsKnownGood(string fingerprint) => _verified.TryGetValue(fingerprint, out var expires) && expires > _time.GetUtcNow();

    /// <summary>The full check (PBKDF2, or the dummy's for an unknown id, which never matches); a success is remembered.</summary>
    public bool Verify(ClientOptions? client, string secret, string fingerprint)
    {
        // Every path is one PBKDF2 of the same cost: hashed, plain (hashed at start) and unknown ids alike.
        var hash = client is null ? _dummy.SecretHash! : client.SecretHash is { Length: > 0 } stored ? stored : _plainHashes[client.ClientId];
        var valid = ClientSecretHasher.Verify(secret, hash) && client is not null;
        if (valid)
        {
            var now = _time.GetUtcNow();
            Remember(fingerprint, now + VerdictLifetime, now);
        }
        return valid;
    }

    /// <summary>The iterations most configured hashes use (the default when none is hashed), for the dummy and plain secrets.</summary>
    private static int CommonIterations(List<ClientOptions> clients)
    {
        var hashed = clients.Select(c => c.SecretHash is { } h ? ClientSecretHasher.IterationsOf(h) : null).OfType<int>().ToList();
        return hashed.Count == 0 ? DefaultIterations : hashed.GroupBy(i => i).MaxBy(g => g.Count())!.Key;
    }

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
