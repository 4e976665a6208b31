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
        IOptions<KeyServiceOptions> options, IOptions<AuthorizationOptions> authorization, CancellationToken cancellationToken)
    {
        var (request, error) = await validator.ValidateAsync(context.Request.QueryString.Value ?? "", cancellationToken);
        if (request is null)
        {
            return Refuse(context, error!, options.Value.Issuer);
        }
        if (await SignedInPerson.FromCookieAsync(context) is not { } person)
        {
            // With only the organisation's provider there is nothing to choose: straight there.
            return authorization.Value.DevelopmentUserEnabled
                ? AuthorizationPages.SignIn(context, request, error: null, UpstreamName(authorization.Value))
                : ChallengeUpstream(request);
        }
        if (Grantable(request, person) is not { } granted)
        {
            return Refuse(context, NothingGrantable(request), options.Value.Issuer);
        }
        return await consents.CoversAsync(person.Subject, granted.Client.ClientId, granted.Scopes, cancellationToken)
            ? await RedirectWithCodeAsync(granted, person.Subject, codes, options.Value.Issuer, cancellationToken)
            : AuthorizationPages.Consent(context, granted, person.Name);
    }

    public static async Task<IResult> SignIn(
        HttpContext context, AuthorizationRequestValidator validator, DevelopmentSignIn signIn, IAntiforgery antiforgery,
        IOptions<KeyServiceOptions> options, IOptions<AuthorizationOptions> authorization, CancellationToken cancellationToken)
    {
        await SignedInPerson.FromCookieAsync(context);
        var (request, form, refusal) = await ReadFormAsync(context, validator, antiforgery, options.Value.Issuer, cancellationToken);
        if (request is null)
        {
            return refusal!;
        }
        if (form!["provider"] == "upstream" && authorization.Value.Upstream.Configured)
        {
            return ChallengeUpstream(request);
        }
        if (!authorization.Value.DevelopmentUserEnabled)
        {
            return AuthorizationPages.Error(context, $"Sign in with {authorization.Value.Upstream.DisplayName}: this service has no password sign-in.");
        }
        var (subject, retryAfter) = signIn.Verify(form["username"].ToString(), form["password"].ToString(), SourceAddress.Of(context));
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return AuthorizationPages.SignIn(context, request, "Too many failed sign-ins from your network; wait a while and try again.",
                UpstreamName(authorization.Value), StatusCodes.Status429TooManyRequests);
        }
        if (subject is null)
        {
            return AuthorizationPages.SignIn(context, request, "The user name or password is wrong.", UpstreamName(authorization.Value), StatusCodes.Status400BadRequest);
        }
        var person = new SignedInPerson(subject, subject, authorization.Value.UserScopes);
        await context.SignInAsync(AuthorizationExtensions.SignInScheme, person.ToPrincipal());
        return Results.Redirect(Path + request.Query);
    }

    public static async Task<IResult> Consent(
        HttpContext context, AuthorizationRequestValidator validator, Consents consents, AuthorizationCodes codes, IAntiforgery antiforgery,
        IOptions<KeyServiceOptions> options, CancellationToken cancellationToken)
    {
        var issuer = options.Value.Issuer;
        if (await SignedInPerson.FromCookieAsync(context) is not { } person)
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
        if (Grantable(request, person) is not { } granted)
        {
            return Refuse(context, NothingGrantable(request), issuer);
        }
        if (!await consents.RememberAsync(person.Subject, granted.Client.ClientId, granted.Scopes, cancellationToken))
        {
            return AuthorizationPages.Error(context,
                "You have allowed as many applications as KeyService keeps. Revoke one on your applications page, then start again.",
                StatusCodes.Status409Conflict);
        }
        return await RedirectWithCodeAsync(granted, person.Subject, codes, issuer, cancellationToken);
    }

    /// <summary>The request narrowed to the scopes the person may grant, or null when none is left.</summary>
    private static AuthorizationRequest? Grantable(AuthorizationRequest request, SignedInPerson person) =>
        person.Grantable(request.Scopes) is { Count: > 0 } scopes ? request with { Scopes = scopes } : null;

    private static AuthorizationError NothingGrantable(AuthorizationRequest request) =>
        new("access_denied", "The signed-in person may grant none of the requested scopes.", request.RedirectUri, request.State);

    private static string? UpstreamName(AuthorizationOptions authorization) =>
        authorization.Upstream.Configured ? authorization.Upstream.DisplayName : null;

    /// <summary>To the organisation's identity provider; the person comes back to the authorization request they started.</summary>
    private static IResult ChallengeUpstream(AuthorizationRequest request) =>
        Results.Challenge(new AuthenticationProperties { RedirectUri = Path + request.Query }, [UpstreamSignIn.Scheme]);

    /// <summary>A form post of this endpoint: anti-forgery checked first, then the authorization request it carries.</summary>
    private static async Task<(AuthorizationRequest?, IFormCollection?, IResult?)> ReadFormAsync(
        HttpContext context, AuthorizationRequestValidator validator, IAntiforgery antiforgery, string issuer, CancellationToken cancellationToken)
    {
        var (form, refusal) = await PageForms.ReadAsync(context, antiforgery, "the sign-in page", cancellationToken);
        if (form is null)
        {
            return (null, null, refusal);
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
}
