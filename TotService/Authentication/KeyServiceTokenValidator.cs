using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using TotService.Configuration;
using TotService.Diagnostics;

namespace TotService.Authentication;

/// <summary>The outcome of validating a bearer token: the caller, or the <c>result</c> tag of the failure.</summary>
public readonly record struct TokenCheck(CallerPrincipal? Caller, string Result, Exception? Failure);

/// <summary>
/// Validates KeyService access tokens per DESIGN.md section 5: RS256 only, <c>typ</c> <c>at+jwt</c>, issuer,
/// audience, lifetime with bounded skew, a subject, and a key from KeyService's JWKS named by <c>kid</c>
/// (header parameters <c>jku</c>, <c>x5u</c> and <c>jwk</c> are never followed). The signature is checked once per
/// token (<see cref="CachingJsonWebTokenHandler"/>); the validation parameters are built once per key set, not per
/// request. Every outcome is counted in <c>totmcp.token.validations</c>.
/// </summary>
public sealed class KeyServiceTokenValidator
{
    /// <summary>The only token type KeyService issues (RFC 9068).</summary>
    public const string AccessTokenType = "at+jwt";

    private readonly KeyServiceSigningKeys _signingKeys;
    private readonly TotServiceMetrics _metrics;
    private readonly CachingJsonWebTokenHandler _handler;
    private readonly TokenValidationParameters _template;
    private readonly int _maxTokenBytes;

    /// <summary>The parameters for the key set they were built from; replaced when the key set changes.</summary>
    private KeyedParameters? _current;

    public KeyServiceTokenValidator(
        KeyServiceSigningKeys signingKeys,
        IOptions<TotServiceOptions> options,
        TotServiceMetrics metrics,
        TimeProvider timeProvider)
    {
        var settings = options.Value;
        _signingKeys = signingKeys;
        _metrics = metrics;
        _maxTokenBytes = settings.MaxTokenBytes;
        _handler = new CachingJsonWebTokenHandler(timeProvider)
        {
            MapInboundClaims = false,
            MaximumTokenSizeInBytes = settings.MaxTokenBytes,
        };
        _template = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            ValidTypes = [AccessTokenType],
            ClockSkew = settings.ClockSkew,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            // KeyService always sends a kid; a token must name a published key, not be tried against all.
            TryAllIssuerSigningKeys = false,
            NameClaimType = TotClaims.Subject,
            RoleClaimType = TotClaims.Scope,
        };
    }

    public async ValueTask<TokenCheck> ValidateAsync(BearerToken bearer, CancellationToken cancellationToken)
    {
        TokenCheck check;
        try
        {
            check = await CheckAsync(bearer, cancellationToken);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // Whatever goes wrong while judging a token (a key fetch failing in an unforeseen way, a handler bug) is a
            // refused token, 401, never a 500: as JwtBearer's AuthenticationFailed handling did before.
            check = Failed(TokenFailureClassifier.Classify(ex), ex);
        }
        _metrics.TokenValidated(check.Result);
        return check;
    }

    private async ValueTask<TokenCheck> CheckAsync(BearerToken bearer, CancellationToken cancellationToken)
    {
        if (bearer.Token.Length > _maxTokenBytes)
        {
            return Failed(TokenFailureClassifier.Oversized, new SecurityTokenMalformedException("The bearer token is larger than allowed."));
        }

        // The per-request path: a token validated before, signed by a key that is still published.
        var keyed = _signingKeys.Current is { } cached ? KeyedFor(cached) : null;
        if (keyed is not null && _handler.TryGetValidated(bearer.Token, keyed.KeyIds, out var known))
        {
            return Accept(known);
        }

        // A kid the cached keys do not know may be a freshly rotated key: fetch the JWKS first (rate limited).
        if (bearer.KeyId is { } keyId && keyed?.KeyIds.Contains(keyId) != true)
        {
            await _signingKeys.RefreshForUnknownKeyAsync(cancellationToken);
        }

        TokenValidationParameters parameters;
        try
        {
            parameters = KeyedFor(await _signingKeys.GetConfigurationAsync(cancellationToken)).Parameters;
        }
        catch (SigningKeysUnavailableException ex)
        {
            return Failed(TokenFailureClassifier.Classify(ex), ex);
        }

        var result = await _handler.ValidateTokenAsync(bearer.Token, parameters);
        if (!result.IsValid)
        {
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                _signingKeys.RequestRefresh();
            }
            return Failed(TokenFailureClassifier.Classify(result.Exception), result.Exception);
        }
        return result.ClaimsIdentity is CallerIdentity caller
            ? Accept(caller)
            : Failed(TokenFailureClassifier.Classify(null), new SecurityTokenValidationException("The token is not valid."));
    }

    private static TokenCheck Accept(CallerIdentity caller) =>
        // Rate limiting and MCP session binding key on sub; a token without one is not for us.
        caller.Subject.Length > 0
            ? new TokenCheck(caller.Principal, TokenFailureClassifier.Ok, null)
            : Failed(TokenFailureClassifier.MissingSubject, new SecurityTokenValidationException("The token has no subject."));

    /// <summary>The validation parameters and published key ids for a key set, built once per key set.</summary>
    private KeyedParameters KeyedFor(OpenIdConnectConfiguration keys)
    {
        if (Volatile.Read(ref _current) is { } current && ReferenceEquals(current.Keys, keys))
        {
            return current;
        }
        var parameters = _template.Clone();
        parameters.IssuerSigningKeys = [.. keys.SigningKeys];
        var keyed = new KeyedParameters(keys, parameters,
            keys.SigningKeys.Select(key => key.KeyId).OfType<string>().ToFrozenSet(StringComparer.Ordinal));
        Volatile.Write(ref _current, keyed);
        return keyed;
    }

    private sealed record KeyedParameters(OpenIdConnectConfiguration Keys, TokenValidationParameters Parameters, FrozenSet<string> KeyIds);

    private static TokenCheck Failed(string result, Exception? exception) =>
        new(null, result, exception ?? new SecurityTokenValidationException("The token is not valid."));
}
