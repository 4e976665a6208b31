using KeyService.Authorization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace KeyService.Apis;

/// <summary>
/// A person's own page of the applications they allowed, each with a button that revokes the consent: the client's
/// refresh tokens stop working at their next use, and its next sign-in asks again. Under the sign-in cookie's path.
/// </summary>
public static class ConsentsApi
{
    private const long MaxFormBytes = 4 * 1024;

    public static IEndpointRouteBuilder MapConsentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").AllowAnonymous().DisableAntiforgery();
        group.MapGet(AuthorizationPages.ConsentsPath, List)
            .WithName("Consents")
            .WithSummary("The applications the signed-in person allowed, with a revoke button each.");
        group.MapPost(AuthorizationPages.ConsentsPath, Revoke)
            .WithName("RevokeConsent")
            .WithSummary("Revokes the signed-in person's consent to one application.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxFormBytes));
        return app;
    }

    public static async Task<IResult> List(HttpContext context, Consents consents, IOptions<AuthorizationOptions> authorization, CancellationToken cancellationToken)
    {
        if (await SignedInPerson.FromCookieAsync(context) is not { } person)
        {
            return authorization.Value.Upstream.Configured
                ? Results.Challenge(new AuthenticationProperties { RedirectUri = AuthorizationPages.ConsentsPath }, [UpstreamSignIn.Scheme])
                : AuthorizationPages.SignInFirst(context);
        }
        return AuthorizationPages.Consents(context, person.Name, await consents.ListAsync(person.Subject, cancellationToken));
    }

    public static async Task<IResult> Revoke(HttpContext context, Consents consents, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (await SignedInPerson.FromCookieAsync(context) is not { } person)
        {
            return AuthorizationPages.SignInFirst(context);
        }
        var (form, refusal) = await PageForms.ReadAsync(context, antiforgery, "the applications page", cancellationToken);
        if (form is null)
        {
            return refusal!;
        }
        if (form["client_id"] is not { Count: 1 } clientId || string.IsNullOrEmpty(clientId))
        {
            return AuthorizationPages.Error(context, "The form names no application.");
        }
        await consents.RevokeAsync(person.Subject, clientId.ToString(), cancellationToken);
        return Results.Redirect(AuthorizationPages.ConsentsPath);
    }
}
