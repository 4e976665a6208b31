using System.Security.Claims;
using KeyService.Authorization;
using KeyService.Options;
using KeyService.Tokens;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace KeyService.Apis;

/// <summary>
/// The authorization endpoint (RFC 6749 section 3.1) and the sign-in and consent forms behind it. The request travels
/// through both forms as its original query string and is validated again on every step.
/// </summary>
public static class AuthorizeApi
{
    public const string Path = "/connect/authorize";

    private const long MaxFormBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapAuthorizeApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").AllowAnonymous().DisableAntiforgery();
        group.MapGet(Path, Authorize)
            .WithName("Authorize")
            .WithSummary("Authorization code with PKCE (S256): signs the person in, asks consent, redirects with code, state and iss.");
        group.MapPost(AuthorizationPages.SignInPath, SignIn)
            .WithName("SignIn")
            .WithSummary("The sign-in form's target.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxFormBytes));
        group.MapPost(AuthorizationPages.ConsentPath, Consent)
            .WithName("Consent")
            .WithSummary("The consent form's target.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxFormBytes));
        return app;
    }

    public static async Task<IResult> Authorize(
        HttpContext context, AuthorizationRequestValidator validator, Consents consents, AuthorizationCodes codes,
        IOptions<KeyServiceOptions> options, CancellationToken cancellationToken)
    {
        var (request, error) = await validator.ValidateAsync(context.Request.QueryString.Value ?? "", cancellationToken);
        if (request is null)
        {
            return Refuse(context, error!, options.Value.Issuer);
        }
        if (await SignedInAsync(context) is not { } user)
        {
            return AuthorizationPages.SignIn(context, request, error: null);
        }
        return await consents.CoversAsync(user.Subject, request.Client.ClientId, request.Scopes, cancellationToken)
            ? await RedirectWithCodeAsync(request, user.Subject, codes, options.Value.Issuer, cancellationToken)
            : AuthorizationPages.Consent(context, request, user.Name);
    }

    public static async Task<IResult> SignIn(
        HttpContext context, AuthorizationRequestValidator validator, DevelopmentSignIn signIn, IAntiforgery antiforgery,
        IOptions<KeyServiceOptions> options, CancellationToken cancellationToken)
    {
        await SignedInAsync(context);
        var (request, form, refusal) = await ReadFormAsync(context, validator, antiforgery, options.Value.Issuer, cancellationToken);
        if (request is null)
        {
            return refusal!;
        }
        var (subject, retryAfter) = signIn.Verify(form!["username"].ToString(), form["password"].ToString(), SourceAddress.Of(context));
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return AuthorizationPages.SignIn(context, request, "Too many failed sign-ins from your network; wait a while and try again.",
                StatusCodes.Status429TooManyRequests);
        }
        if (subject is null)
        {
            return AuthorizationPages.SignIn(context, request, "The user name or password is wrong.", StatusCodes.Status400BadRequest);
        }
        var identity = new ClaimsIdentity([new Claim("sub", subject), new Claim(ClaimTypes.Name, subject)], AuthorizationExtensions.SignInScheme, ClaimTypes.Name, ClaimTypes.Role);
        await context.SignInAsync(AuthorizationExtensions.SignInScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(Path + request.Query);
    }

    public static async Task<IResult> Consent(
        HttpContext context, AuthorizationRequestValidator validator, Consents consents, AuthorizationCodes codes, IAntiforgery antiforgery,
        IOptions<KeyServiceOptions> options, CancellationToken cancellationToken)
    {
        var issuer = options.Value.Issuer;
        if (await SignedInAsync(context) is not { } user)
        {
            return AuthorizationPages.Error(context, "Your sign-in has expired.");
        }
        var (request, form, refusal) = await ReadFormAsync(context, validator, antiforgery, issuer, cancellationToken);
        if (request is null)
        {
            return refusal!;
        }
        if (form!["decision"] != "allow")
        {
            return Refuse(context, new AuthorizationError("access_denied", "The person denied access.", request.RedirectUri, request.State), issuer);
        }
        await consents.RememberAsync(user.Subject, request.Client.ClientId, request.Scopes, cancellationToken);
        return await RedirectWithCodeAsync(request, user.Subject, codes, issuer, cancellationToken);
    }

    /// <summary>A form post of this endpoint: anti-forgery checked first, then the authorization request it carries.</summary>
    private static async Task<(AuthorizationRequest?, IFormCollection?, IResult?)> ReadFormAsync(
        HttpContext context, AuthorizationRequestValidator validator, IAntiforgery antiforgery, string issuer, CancellationToken cancellationToken)
    {
        if (!context.Request.HasFormContentType)
        {
            return (null, null, AuthorizationPages.Error(context, "Send the form from the sign-in page."));
        }
        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return (null, null, AuthorizationPages.Error(context, "The form is malformed or too large."));
        }
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return (null, null, AuthorizationPages.Error(context, "The form did not come from this sign-in page, or it expired. Start again from your application."));
        }
        var query = form["request"].ToString();
        if (!query.StartsWith('?'))
        {
            return (null, null, AuthorizationPages.Error(context, "The form lost its authorization request."));
        }
        var (request, error) = await validator.ValidateAsync(query, cancellationToken);
        return request is null ? (null, null, Refuse(context, error!, issuer)) : (request, form, null);
    }

    private static async Task<IResult> RedirectWithCodeAsync(
        AuthorizationRequest request, string subject, AuthorizationCodes codes, string issuer, CancellationToken cancellationToken)
    {
        var code = await codes.IssueAsync(new CodeGrant(
            request.Client.ClientId, request.RedirectUri, request.CodeChallenge, request.Resource, request.Scopes, subject), cancellationToken);
        return Results.Redirect(AuthorizationResponse.Code(request, code, issuer));
    }

    /// <summary>To the client when its redirect URI is trusted; otherwise a page, and nothing leaves.</summary>
    private static IResult Refuse(HttpContext context, AuthorizationError error, string issuer) => error.RedirectUri is null
        ? AuthorizationPages.Error(context, error.Description)
        : Results.Redirect(AuthorizationResponse.Error(error, issuer));

    /// <summary>The signed-in person from the cookie (also made the request's user, which anti-forgery tokens bind to).</summary>
    private static async Task<(string Subject, string Name)?> SignedInAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(AuthorizationExtensions.SignInScheme);
        if (result.Principal?.FindFirst("sub")?.Value is not { } subject)
        {
            return null;
        }
        context.User = result.Principal;
        return (subject, result.Principal.Identity?.Name ?? subject);
    }
}
