using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TotService.Identity;

namespace TotService.Authentication;

/// <summary>
/// The <see cref="JsonWebTokenHandler"/> that JwtBearer validates KeyService tokens with (its <c>TokenHandlers</c>). It
/// composes the steps, each owned by its own type: the accepted form (<see cref="JwsFormRules"/>, before parsing and
/// after validation), the cache of validated tokens (<see cref="ValidatedTokenCache"/>), whether a remembered token's
/// key is still published (<see cref="PublishedSigningKeys"/>), and, for a <c>kid</c> the keys lack, the wait for the
/// key refresh JwtBearer's configuration manager starts (<see cref="KeyServiceJwksRetriever.WaitForKeyAsync"/>), so a
/// freshly rotated key works on its first request. A client sending the same token on every MCP request pays the RS256
/// check once; a remembered token is accepted again only while its <c>exp</c> has not passed and its key is published,
/// so a key removed from KeyService's JWKS stops validating its tokens at the next key refresh.
/// </summary>
public sealed class CachingJsonWebTokenHandler(TimeProvider timeProvider, KeyServiceJwksRetriever? jwks = null) : JsonWebTokenHandler
{
    private readonly ValidatedTokenCache _validated = new(timeProvider);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (token is null || validationParameters is null)
        {
            return await base.ValidateTokenAsync(token!, validationParameters!);
        }
        if (JwsFormRules.RefusalBeforeParsing(token, MaximumTokenSizeInBytes) is { } malformed)
        {
            return Refused(malformed);
        }
        if (_validated.TryGet(token, out var known))
        {
            if (await PublishedSigningKeys.ContainAsync(validationParameters, known.KeyId))
            {
                return known.ToResult();
            }
            _validated.Forget(token);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException && jwks is not null
            && await jwks.WaitForKeyAsync(validationParameters, KeyIdOf(token)))
        {
            result = await base.ValidateTokenAsync(token, validationParameters);
        }
        if (result.IsValid && result.SecurityToken is JsonWebToken jwt && result.ClaimsIdentity is { } identity)
        {
            if (JwsFormRules.RefusalAfterValidation(jwt) is { } refused)
            {
                return Refused(refused);
            }
            return _validated.Remember(token, jwt, new CallerIdentity(identity), result.Issuer, result.TokenType).ToResult();
        }
        return result;
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

    private static TokenValidationResult Refused(Exception exception) => new() { IsValid = false, Exception = exception };
}
