using Microsoft.AspNetCore.Http.HttpResults;
using KeyService.Tokens;
using Microsoft.Net.Http.Headers;

namespace KeyService.Apis;

public static class TokenApi
{
    public const string Path = "/connect/token";

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, IssueToken)
            .WithName("IssueToken")
            .WithSummary("OAuth 2.0 client credentials grant (RFC 6749 section 4.4) with RFC 8707 resource indicators.")
            .DisableAntiforgery()
            .AllowAnonymous();
        return app;
    }

    public static async Task<IResult> IssueToken(HttpContext context, ClientCredentialsGrant grant, CancellationToken cancellationToken)
    {
        // Token responses carry credentials: never cached (RFC 6749 section 5.1), errors included.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return Error(context, TokenError.InvalidRequest("The request must be application/x-www-form-urlencoded."));
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return Error(context, TokenError.InvalidRequest("The form body is malformed or too large."));
        }

        var (token, error) = grant.Handle(context.Request.Headers.Authorization, form);
        return token is not null
            ? TypedResults.Json(new TokenResponse(token.AccessToken, "Bearer", (long)token.ExpiresIn.TotalSeconds, token.Scope))
            : Error(context, error!);
    }

    private static JsonHttpResult<TokenErrorResponse> Error(HttpContext context, TokenError error)
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
