using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace KeyService.Authorization;

/// <summary>
/// The person in KeyService's sign-in cookie, however they signed in (the development user, or the organisation's
/// identity provider): the subject that becomes the <c>sub</c> of their tokens, the name the pages show, and the
/// scopes they may grant a client.
/// </summary>
public sealed record SignedInPerson(string Subject, string Name, IReadOnlyList<string> Scopes)
{
    private const string SubjectClaim = "sub";
    private const string GrantableScopeClaim = "grantable_scope";

    public ClaimsPrincipal ToPrincipal()
    {
        var claims = new List<Claim> { new(SubjectClaim, Subject), new(ClaimTypes.Name, Name) };
        claims.AddRange(Scopes.Select(scope => new Claim(GrantableScopeClaim, scope)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthorizationExtensions.SignInScheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The person a sign-in cookie holds, or null when it holds none.</summary>
    public static SignedInPerson? From(ClaimsPrincipal? principal)
    {
        if (principal?.FindFirst(SubjectClaim)?.Value is not { Length: > 0 } subject)
        {
            return null;
        }
        return new SignedInPerson(subject, principal.Identity?.Name ?? subject, [.. principal.FindAll(GrantableScopeClaim).Select(c => c.Value)]);
    }

    /// <summary>The person in the request's sign-in cookie, also made the request's user (anti-forgery tokens bind to it).</summary>
    public static async Task<SignedInPerson?> FromCookieAsync(HttpContext context)
    {
        var result = await context.AuthenticateAsync(AuthorizationExtensions.SignInScheme);
        if (From(result.Principal) is not { } person)
        {
            return null;
        }
        context.User = result.Principal!;
        return person;
    }

    /// <summary>The requested scopes this person may grant, in the request's order (RFC 6749 section 3.3 allows fewer).</summary>
    public IReadOnlyList<string> Grantable(IReadOnlyList<string> requested) =>
        [.. requested.Where(scope => Scopes.Contains(scope, StringComparer.Ordinal))];
}
