using System.Security.Claims;

namespace TotService.Identity;

/// <summary>The OAuth scopes TotService understands; each is also the name of the authorization policy requiring it.</summary>
public static class TotScopes
{
    /// <summary>Status, results, traces, listings.</summary>
    public const string Read = "tot:read";

    /// <summary>Start and cancel runs, create and edit trees.</summary>
    public const string Write = "tot:write";

    /// <summary>The policy of <c>/mcp</c> itself: either scope; tools then ask for their own.</summary>
    public const string AnyPolicy = "tot:any";

    public static IReadOnlyList<string> All { get; } = [Read, Write];

    /// <summary>Scopes granted to the caller: the space-separated <c>scope</c> claim(s) of its token.</summary>
    public static IEnumerable<string> Granted(this ClaimsPrincipal user) =>
        user.Identity is CallerIdentity caller
            ? caller.Scopes
            : user.FindAll(TotClaims.Scope).SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.Identity is CallerIdentity caller
            ? caller.Scopes.Contains(scope)
            : user.Granted().Contains(scope, StringComparer.Ordinal);

    public static bool HasAnyTotScope(this ClaimsPrincipal user) => user.HasScope(Read) || user.HasScope(Write);
}
