using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TotService.Authentication;

/// <summary>
/// <see cref="JsonWebTokenHandler"/> that remembers tokens it has fully validated, so a client sending the same
/// bearer token on every MCP request pays the RS256 signature check (most of the validation cost) once per token
/// instead of once per request (docs/BENCHMARKS.md). A remembered token is accepted again only while
/// <list type="bullet">
/// <item>it is byte-for-byte the same string (the cache key is the whole token, so nothing else can match it);</item>
/// <item>its <c>exp</c> has not passed (no clock skew is granted to a remembered token; after <c>exp</c> it is
/// validated from scratch, which applies the configured skew);</item>
/// <item>the key that signed it is still among the signing keys of this request's parameters, so a key removed from
/// KeyService's JWKS stops validating its tokens at the next key refresh, as it would without the cache.</item>
/// </list>
/// Every valid token's identity is a read-only <see cref="CallerIdentity"/>, built once and shared by the requests
/// that present the token. Failures are never remembered. The cache is bounded (<see cref="Capacity"/>): when full, expired entries go first,
/// then an arbitrary eighth of the rest.
/// </summary>
public sealed class CachingJsonWebTokenHandler(TimeProvider timeProvider) : JsonWebTokenHandler
{
    /// <summary>
    /// Remembered tokens per replica: a few MiB at most (token, parsed token and identity). Clients reuse a token
    /// for its lifetime, so this covers hundreds of active clients; beyond that tokens are simply validated more often.
    /// </summary>
    public const int Capacity = 256;

    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);

    /// <summary>
    /// The identity of a token validated before, while it is still acceptable (same bytes, before <c>exp</c>, its key
    /// among <paramref name="publishedKeyIds"/>): the per-request path, with no task and no result object.
    /// </summary>
    public bool TryGetValidated(string token, IReadOnlySet<string> publishedKeyIds, [NotNullWhen(true)] out CallerIdentity? identity)
    {
        identity = Recall(token, publishedKeyIds, static (keyIds, keyId) => keyIds.Contains(keyId))?.Identity;
        return identity is not null;
    }

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (token is not null && Recall(token, validationParameters, HasSigningKey) is { } known)
        {
            return known.ToResult();
        }

        var result = await base.ValidateTokenAsync(token!, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt && result.ClaimsIdentity is { } identity && token is not null)
        {
            var validated = new Validated(jwt, new CallerIdentity(identity), new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), jwt.Kid, result.Issuer, result.TokenType);
            Remember(token, validated);
            return validated.ToResult();
        }
        return result;
    }

    /// <summary>
    /// The one rule for answering from memory: the same token string, before its <c>exp</c> (no skew), signed by a key
    /// that is still published. A remembered token that fails it is forgotten, so full validation judges it next.
    /// </summary>
    private Validated? Recall<TKeys>(string token, TKeys keys, Func<TKeys, string, bool> isPublished)
    {
        if (token.Length > MaximumTokenSizeInBytes || !_validated.TryGetValue(token, out var known))
        {
            return null;
        }
        if (timeProvider.GetUtcNow() < known.Expires && isPublished(keys, known.KeyId))
        {
            return known;
        }
        _validated.TryRemove(token, out _);
        return null;
    }

    private void Remember(string token, Validated validated)
    {
        if (_validated.Count >= Capacity)
        {
            Trim();
        }
        _validated[token] = validated;
    }

    /// <summary>Drops expired tokens; when all are live, an arbitrary eighth, so new tokens keep being remembered.</summary>
    private void Trim()
    {
        var now = timeProvider.GetUtcNow();
        foreach (var (key, entry) in _validated)
        {
            if (entry.Expires <= now)
            {
                _validated.TryRemove(key, out _);
            }
        }
        if (_validated.Count >= Capacity)
        {
            foreach (var key in _validated.Keys.Take(Capacity / 8))
            {
                _validated.TryRemove(key, out _);
            }
        }
    }

    private static bool HasSigningKey(TokenValidationParameters parameters, string keyId)
    {
        if (parameters.IssuerSigningKeys is { } keys)
        {
            foreach (var key in keys)
            {
                if (string.Equals(key.KeyId, keyId, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        return string.Equals(parameters.IssuerSigningKey?.KeyId, keyId, StringComparison.Ordinal);
    }

    private sealed record Validated(JsonWebToken Token, CallerIdentity Identity, DateTimeOffset Expires, string KeyId, string? Issuer, string? TokenType)
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
}
