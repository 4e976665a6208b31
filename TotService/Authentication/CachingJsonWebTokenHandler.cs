using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TotService.Authentication;

/// <summary>
/// The <see cref="JsonWebTokenHandler"/> that JwtBearer validates KeyService tokens with (its <c>TokenHandlers</c>).
/// It remembers tokens it has fully validated, so a client sending the same bearer token on every MCP request pays
/// the RS256 signature check (most of the validation cost) once per token. A remembered token is accepted again only
/// while
/// <list type="bullet">
/// <item>it is byte-for-byte the same string (the cache key is the whole token, so nothing else can match it);</item>
/// <item>its <c>exp</c> has not passed (no clock skew is granted to a remembered token; after <c>exp</c> it is
/// validated from scratch, which applies the configured skew);</item>
/// <item>the key that signed it is still published (in the parameters or the configuration manager's current keys),
/// so a key removed from KeyService's JWKS stops validating its tokens at the next key refresh.</item>
/// </list>
/// Failures are never remembered. Before any parsing it refuses tokens over the size cap and tokens with characters
/// outside base64url and '.', such as '=' padding (RFC 7515 compact serialization has none), so one signed token has
/// one spelling; after validation it refuses tokens with a <c>crit</c> header, as it understands no extension. When a token names a <c>kid</c> the keys lack, it waits briefly for the refresh JwtBearer's
/// configuration manager starts, so a freshly rotated key works on its first request.
/// </summary>
public sealed class CachingJsonWebTokenHandler(TimeProvider timeProvider, KeyServiceJwksRetriever? jwks = null) : JsonWebTokenHandler
{
    /// <summary>
    /// Remembered tokens per replica: a few MiB at most (token, parsed token and identity). Clients reuse a token
    /// for its lifetime, so this covers hundreds of active clients; beyond that tokens are simply validated more often.
    /// </summary>
    public const int Capacity = 256;

    /// <summary>The manager starts its refresh on a thread-pool thread: how long to wait for that fetch to begin.</summary>
    private static readonly TimeSpan FetchStartGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a request waits for a forced fetch before it is judged with the keys it has.</summary>
    private static readonly TimeSpan ForcedRefreshWait = TimeSpan.FromSeconds(5);

    private static readonly SearchValues<char> CompactJwsCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="token"/> could be a JWS in compact serialization at all (untrusted input).</summary>
    public static bool IsCompactJws(ReadOnlySpan<char> token) =>
        !token.IsEmpty && token.IndexOfAnyExcept(CompactJwsCharacters) < 0;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (token is null || validationParameters is null)
        {
            return await base.ValidateTokenAsync(token!, validationParameters!);
        }
        if (token.Length > MaximumTokenSizeInBytes)
        {
            return Refused(new TokenTooLargeException());
        }
        if (!IsCompactJws(token))
        {
            return Refused(new SecurityTokenMalformedException("The token is not base64url-encoded JWS compact serialization."));
        }
        if (_validated.TryGetValue(token, out var known))
        {
            if (timeProvider.GetUtcNow() < known.Expires && await IsPublishedAsync(validationParameters, known.KeyId))
            {
                return known.ToResult();
            }
            _validated.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && await WaitForKeyRefreshAsync(validationParameters, KeyIdOf(token)))
        {
            result = await base.ValidateTokenAsync(token, validationParameters);
        }
        if (result.IsValid && result.SecurityToken is JsonWebToken critical && critical.TryGetHeaderValue<object>("crit", out _))
        {
            // RFC 7515 section 4.1.11: extensions listed in crit must be understood; KeyService uses none, so none are.
            return Refused(new SecurityTokenMalformedException("The token names critical header extensions."));
        }
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt && result.ClaimsIdentity is { } identity)
        {
            var validated = new Validated(jwt, new CallerIdentity(identity), new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero), jwt.Kid, result.Issuer, result.TokenType);
            Remember(token, validated);
            return validated.ToResult();
        }
        return result;
    }

    /// <summary>True when the keys now hold the token's key, or a JWKS fetch ended and changed them: validating again can help.</summary>
    private async Task<bool> WaitForKeyRefreshAsync(TokenValidationParameters parameters, string? keyId)
    {
        if (jwks is null || parameters.ConfigurationManager is not { } manager)
        {
            return false;
        }
        // Another request's fetch may have stored the key since this validation read the keys; that fetch also makes
        // the manager refuse a new one for a while, so waiting for the next fetch would refuse a published key.
        if (keyId is not null && await IsPublishedAsync(parameters, keyId))
        {
            return true;
        }
        var before = await manager.GetBaseConfigurationAsync(CancellationToken.None);
        var fetched = jwks.NextFetchCompleted;
        if (!jwks.IsFetching)
        {
            await Task.WhenAny(fetched, Task.Delay(FetchStartGrace, timeProvider));
            if (!fetched.IsCompleted && !jwks.IsFetching)
            {
                // The refresh was rate limited: no fetch is coming, but one that just ended may have stored the key.
                return keyId is not null && await IsPublishedAsync(parameters, keyId);
            }
        }
        try
        {
            await fetched.WaitAsync(ForcedRefreshWait, timeProvider);
        }
        catch (TimeoutException)
        {
            return false;
        }
        // The manager stores the keys just after the retriever returns them: give it a moment to swap.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (!ReferenceEquals(await manager.GetBaseConfigurationAsync(CancellationToken.None), before))
            {
                return true;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeProvider);
        }
        return false;
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

    /// <summary>The <c>kid</c> of a token whose signature key was not found (so its header was read), or null.</summary>
    private string? KeyIdOf(string token)
    {
        try
        {
            return ReadJsonWebToken(token).Kid;
        }
        catch (Exception ex) when (ex is SecurityTokenMalformedException or ArgumentException)
        {
            return null;
        }
    }

    private static async ValueTask<bool> IsPublishedAsync(TokenValidationParameters parameters, string keyId)
    {
        if (Contains(parameters.IssuerSigningKeys, keyId) || string.Equals(parameters.IssuerSigningKey?.KeyId, keyId, StringComparison.Ordinal))
        {
            return true;
        }
        return parameters.ConfigurationManager is { } manager
            && Contains((await manager.GetBaseConfigurationAsync(CancellationToken.None))?.SigningKeys, keyId);
    }

    private static bool Contains(IEnumerable<SecurityKey>? keys, string keyId)
    {
        foreach (var key in keys ?? [])
        {
            if (string.Equals(key.KeyId, keyId, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private static TokenValidationResult Refused(Exception exception) => new() { IsValid = false, Exception = exception };

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

/// <summary>The bearer token is larger than <c>TotService:MaxTokenBytes</c>; refused before parsing.</summary>
public sealed class TokenTooLargeException() : SecurityTokenMalformedException("The bearer token is larger than allowed.");
