using KeyService.Authorization;
using KeyService.Tokens;
using Microsoft.AspNetCore.Mvc;

namespace KeyService.Apis;

/// <summary>RFC 7009 token revocation for refresh tokens (a revoked one ends its whole family).</summary>
public static class RevocationApi
{
    public const string Path = "/connect/revoke";

    public static IEndpointRouteBuilder MapRevocationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, Revoke)
            .WithName("RevokeToken")
            .WithSummary("RFC 7009 revocation of a refresh token and every token of its family.")
            .DisableAntiforgery()
            .RequireCors(AuthorizationExtensions.PublicEndpointsCorsPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(TokenApi.MaxRequestBytes))
            .AllowAnonymous();
        return app;
    }

    public static async Task<IResult> Revoke(
        HttpContext context, GrantClientAuthenticator authenticator, RefreshTokens refreshTokens, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (await TokenApi.ReadFormAsync(context, cancellationToken) is not { } form)
        {
            return TokenApi.Error(context, TokenError.InvalidRequest("The request must be an application/x-www-form-urlencoded UTF-8 form."));
        }
        var (client, error) = await authenticator.AuthenticateAsync(context.Request.Headers.Authorization, form, SourceAddress.Of(context), cancellationToken);
        if (client is null)
        {
            return TokenApi.Error(context, error!);
        }
        if (form["token"] is not { Count: 1 } token || string.IsNullOrEmpty(token))
        {
            return TokenApi.Error(context, TokenError.InvalidRequest("token is required, once."));
        }
        if (CompactJwsTokenHandler.IsCompactJws(token.ToString()))
        {
            // Access tokens are short-lived and validated offline by resource servers: they cannot be recalled.
            return TokenApi.Error(context, new TokenError("unsupported_token_type", "Access tokens cannot be revoked; they expire within minutes."));
        }
        // RFC 7009 section 2.2: unknown tokens and other clients' tokens get the same 200 (nothing to learn).
        if (await refreshTokens.FindAsync(token.ToString(), cancellationToken) is { } grant && grant.ClientId == client.ClientId)
        {
            await refreshTokens.RevokeFamilyAsync(grant.Family, cancellationToken);
        }
        return Results.Ok();
    }
}
