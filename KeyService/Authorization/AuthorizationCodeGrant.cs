using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using KeyService.Diagnostics;
using KeyService.Tokens;
using Microsoft.Extensions.Primitives;

namespace KeyService.Authorization;

/// <summary>A token response of the interactive grants: an access token and the next refresh token.</summary>
public sealed record GrantedTokens(IssuedToken Access, string RefreshToken);

/// <summary>
/// The token endpoint's <c>authorization_code</c> (RFC 6749 section 4.1.3 with RFC 7636 PKCE) and
/// <c>refresh_token</c> (section 6, rotated) grants. Tokens are the same RS256 <c>at+jwt</c> as client credentials',
/// with <c>sub</c> = the person and <c>client_id</c> = the client. A refresh works only while the person's consent to
/// the client stands.
/// </summary>
public sealed class AuthorizationCodeGrant(
    GrantClientAuthenticator authenticator,
    AuthorizationCodes codes,
    RefreshTokens refreshTokens,
    Consents consents,
    AccessTokenIssuer issuer,
    AuditLog audit)
{
    public static readonly string[] GrantTypes = ["authorization_code", "refresh_token"];

    public async Task<(GrantedTokens? Tokens, TokenError? Error)> HandleAsync(
        StringValues authorization, IFormCollection form, string source, CancellationToken cancellationToken)
    {
        if (form.FirstOrDefault(p => p.Value.Count > 1) is { Key: not null } duplicate)
        {
            return (null, TokenError.InvalidRequest($"Parameter '{duplicate.Key}' is repeated."));
        }
        var (client, error) = await authenticator.AuthenticateAsync(authorization, form, source, cancellationToken);
        if (client is null)
        {
            return (null, error);
        }
        var (tokens, refused) = form["grant_type"] == "authorization_code"
            ? await RedeemCodeAsync(client, form, cancellationToken)
            : await RefreshAsync(client, form, cancellationToken);
        if (tokens is not null)
        {
            audit.TokenIssued(client.ClientId, tokens.Access.Scope, tokens.Access.Audience, source, tokens.Access.Jti, tokens.Access.KeyId);
        }
        else
        {
            audit.TokenRefused(client.ClientId, form["scope"].ToString(), form["resource"].ToString(), refused!.Error, refused.StatusCode, source);
        }
        return (tokens, refused);
    }

    private async Task<(GrantedTokens?, TokenError?)> RedeemCodeAsync(AuthorizationClient client, IFormCollection form, CancellationToken cancellationToken)
    {
        var (code, verifier) = (form["code"].ToString(), form["code_verifier"].ToString());
        if (code.Length == 0)
        {
            return (null, TokenError.InvalidRequest("code is required."));
        }
        if (!AuthorizationRequestValidator.IsVerifier(verifier))
        {
            return (null, TokenError.InvalidRequest("code_verifier is required: 43 to 128 unreserved characters (RFC 7636)."));
        }
        var (grant, replayedFamily) = await codes.RedeemAsync(code, cancellationToken);
        if (grant is null)
        {
            if (replayedFamily is not null)
            {
                // A code used twice may have been stolen: the tokens its first use obtained go too.
                await refreshTokens.RevokeFamilyAsync(replayedFamily, cancellationToken);
            }
            return (null, InvalidGrant("The code is unknown, expired or already used."));
        }
        if (grant.ClientId != client.ClientId || form["redirect_uri"] != grant.RedirectUri)
        {
            return (null, InvalidGrant("The code was issued to another client or redirect URI."));
        }
        if (!PkceMatches(verifier, grant.CodeChallenge))
        {
            return (null, InvalidGrant("code_verifier does not match the code_challenge."));
        }
        if (ResourceError(form, grant.Resource) is { } resourceError)
        {
            return (null, resourceError);
        }
        var (refreshToken, family) = await refreshTokens.StartFamilyAsync(client.ClientId, grant.Subject, grant.Resource, grant.Scopes, cancellationToken);
        await codes.MarkRedeemedAsync(code, family.Family, cancellationToken);
        return Issue(family, refreshToken);
    }

    private async Task<(GrantedTokens?, TokenError?)> RefreshAsync(AuthorizationClient client, IFormCollection form, CancellationToken cancellationToken)
    {
        if (form["refresh_token"].ToString() is not { Length: > 0 } presented)
        {
            return (null, TokenError.InvalidRequest("refresh_token is required."));
        }
        var (grant, reused) = await refreshTokens.RedeemAsync(presented, cancellationToken);
        if (grant is null)
        {
            return (null, InvalidGrant(reused
                ? "The refresh token was already used; every token of its sign-in is revoked. Sign in again."
                : "The refresh token is unknown, expired or revoked."));
        }
        if (grant.ClientId != client.ClientId)
        {
            await refreshTokens.RevokeFamilyAsync(grant.Family, cancellationToken);
            return (null, InvalidGrant("The refresh token was issued to another client."));
        }
        if (!await consents.CoversAsync(grant.Subject, grant.ClientId, grant.Scopes, cancellationToken))
        {
            // The person revoked the consent (or it lapsed): the client's sign-in ends with it.
            await refreshTokens.RevokeFamilyAsync(grant.Family, cancellationToken);
            return (null, InvalidGrant("The person's consent to this application was revoked or has lapsed. Sign in again."));
        }
        if (ResourceError(form, grant.Resource) is { } resourceError)
        {
            return (null, resourceError);
        }
        var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requested.FirstOrDefault(s => !grant.Scopes.Contains(s, StringComparer.Ordinal)) is { } wider)
        {
            return (null, TokenError.InvalidScope($"Scope '{wider}' was not granted."));
        }
        var narrowed = requested.Length == 0 ? grant : grant with { Scopes = [.. requested.Distinct(StringComparer.Ordinal)] };
        return Issue(narrowed, await refreshTokens.IssueAsync(grant, cancellationToken));
    }

    private (GrantedTokens?, TokenError?) Issue(RefreshGrant grant, string refreshToken) =>
        issuer.Issue(grant.ClientId, grant.Scopes, grant.Resource, grant.Subject) is { } access
            ? (new GrantedTokens(access, refreshToken), null)
            : (null, new TokenError("temporarily_unavailable", "No signing key is active yet.", StatusCodes.Status503ServiceUnavailable)
            {
                RetryAfter = TimeSpan.FromSeconds(1),
            });

    private static TokenError? ResourceError(IFormCollection form, string granted) =>
        form["resource"] is { Count: 1 } resource && resource != granted
            ? TokenError.InvalidTarget("The resource differs from the one the person granted.")
            : null;

    /// <summary>RFC 7636 section 4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge, compared in constant time.</summary>
    private static bool PkceMatches(string verifier, string challenge) => CryptographicOperations.FixedTimeEquals(
        Encoding.ASCII.GetBytes(Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)))), Encoding.ASCII.GetBytes(challenge));

    private static TokenError InvalidGrant(string description) => new("invalid_grant", description);
}
