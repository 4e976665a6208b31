using Microsoft.Extensions.Caching.Memory;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TotService.Identity;

namespace TotService.Authentication;

/// <summary>
/// Tokens this replica has fully validated, keyed by the whole token string (so nothing but the same bytes can match),
/// each with its one shared read-only identity. Bounded by <see cref="Capacity"/> entries through MemoryCache's size
/// limit (compaction drops the least recently used eighth); an entry is served only until the token's <c>exp</c> by
/// the injected clock. Only successes are stored.
/// </summary>
public sealed class ValidatedTokenCache(TimeProvider timeProvider) : IDisposable
{
    /// <summary>
    /// Remembered tokens per replica: a few MiB at most (token, parsed token and identity). Clients reuse a token
    /// for its lifetime, so this covers hundreds of active clients; beyond that tokens are simply validated more often.
    /// </summary>
    public const int Capacity = 256;

    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.125 });

    /// <summary>The remembered validation of <paramref name="token"/> while its <c>exp</c> has not passed (no skew granted).</summary>
    public bool TryGet(string token, out ValidatedToken validated)
    {
        if (_entries.TryGetValue(token, out ValidatedToken? entry) && entry is not null)
        {
            if (timeProvider.GetUtcNow() < entry.Expires)
            {
                validated = entry;
                return true;
            }
            _entries.Remove(token);
        }
        validated = null!;
        return false;
    }

    /// <summary>How many tokens are remembered now.</summary>
    public int Count => _entries.Count;

    public void Forget(string token) => _entries.Remove(token);

    /// <summary>Remembers a successful validation of <paramref name="token"/>; returns what a later <see cref="TryGet"/> gives.</summary>
    public ValidatedToken Remember(string token, JsonWebToken jwt, CallerIdentity identity, string? issuer, string? tokenType)
    {
        var validated = new ValidatedToken(jwt, identity, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), jwt.Kid, issuer, tokenType);
        _entries.Set(token, validated, new MemoryCacheEntryOptions { Size = 1 });
        return validated;
    }

    public void Dispose() => _entries.Dispose();
}

/// <summary>A fully validated token and what its validation produced.</summary>
public sealed record ValidatedToken(JsonWebToken Token, CallerIdentity Identity, DateTimeOffset Expires, string KeyId, string? Issuer, string? TokenType)
{
    /// <summary>The token's one identity: read-only, so every request with this token can share it.</summary>
    public TokenValidationResult ToResult() => new()
    {
        IsValid = true,
        SecurityToken = Token,
        ClaimsIdentity = Identity,
        Issuer = Issuer,
        TokenType = TokenType,
    };
}
