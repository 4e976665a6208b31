using System.Text;
using KeyService.Authorization;
using KeyService.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace KeyService.Apis;

public static class TokenApi
{
    public const string Path = "/connect/token";

    /// <summary>A token request is a few hundred bytes; anything near this is not one.</summary>
    public const long MaxRequestBytes = 16 * 1024;

    /// <summary>Form bodies are decoded as UTF-8 (ASCII is a subset); other charsets are refused, not guessed.</summary>
    private static readonly string[] Charsets = ["utf-8", "us-ascii"];

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, IssueToken)
            .WithName("IssueToken")
            .WithSummary("OAuth 2.0 client credentials grant (RFC 6749 section 4.4) with RFC 8707 resource indicators.")
            .DisableAntiforgery()
            .RequireCors(AuthorizationExtensions.PublicEndpointsCorsPolicy)
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes))
            .AllowAnonymous();
        return app;
    }

    public static async Task<IResult> IssueToken(
        HttpContext context, ClientCredentialsGrant grant, AuthorizationCodeGrant codeGrant, IOptions<AuthorizationOptions> interactive,
        CancellationToken cancellationToken)
    {
        // Token responses carry credentials: never cached (RFC 6749 section 5.1), errors included.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";

        if (await ReadFormAsync(context, cancellationToken) is not { } form)
        {
            return Error(context, TokenError.InvalidRequest("The request must be an application/x-www-form-urlencoded UTF-8 form, not too large."));
        }
        var source = SourceAddress.Of(context);
        if (interactive.Value.Enabled && form["grant_type"] is { Count: 1 } type && AuthorizationCodeGrant.GrantTypes.Contains(type.ToString()))
        {
            var (tokens, refused) = await codeGrant.HandleAsync(context.Request.Headers.Authorization, form, source, cancellationToken);
            return tokens is not null
                ? TypedResults.Json(new TokenResponse(tokens.Access.AccessToken, "Bearer", (long)tokens.Access.ExpiresIn.TotalSeconds, tokens.Access.Scope)
                {
                    RefreshToken = tokens.RefreshToken,
                })
                : Error(context, refused!);
        }

        var (token, error) = await grant.HandleAsync(context.Request.Headers.Authorization, form, source);
        return token is not null
            ? TypedResults.Json(new TokenResponse(token.AccessToken, "Bearer", (long)token.ExpiresIn.TotalSeconds, token.Scope))
            : Error(context, error!);
    }

    /// <summary>The form of an OAuth endpoint request; null when it is not a UTF-8 URL-encoded form or is malformed.</summary>
    public static async Task<IFormCollection?> ReadFormAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || (mediaType.Charset.HasValue && !Charsets.Contains(HeaderUtilities.RemoveQuotes(mediaType.Charset).Value, StringComparer.OrdinalIgnoreCase)))
        {
            return null;
        }
        try
        {
            return await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or DecoderFallbackException or NotSupportedException)
        {
            return null;
        }
    }

    public static JsonHttpResult<TokenErrorResponse> Error(HttpContext context, TokenError error)
    {
        if (error.StatusCode == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"keyservice\", charset=\"UTF-8\"";
        }
        if (error.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return TypedResults.Json(new TokenErrorResponse(error.Error, error.Description), statusCode: error.StatusCode);
    }
}
