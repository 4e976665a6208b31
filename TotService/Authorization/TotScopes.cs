using System.Security.Claims;
using TotService.Authentication;

namespace TotService.Authorization;

/// <summary>The OAuth scopes TotService understands (DESIGN.md section 5).</summary>
public static class TotScopes
{
    /// <summary>Status, results, traces, listings.</summary>
    public const string Read = "tot:read";

    /// <summary>Start and cancel runs, create and edit trees.</summary>
    public const string Write = "tot:write";

    public static IReadOnlyList<string> All { get; } = [Read, Write];

    /// <summary>Scopes granted to the caller: the space-separated <c>scope</c> claim(s) of its token.</summary>
    public static IEnumerable<string> Granted(this ClaimsPrincipal user) =>
        user is CallerPrincipal principal
            ? principal.Caller.Scopes
            : user.FindAll(TotClaims.Scope).SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user is CallerPrincipal principal
            ? principal.Caller.Scopes.Contains(scope)
            : user.Granted().Contains(scope, StringComparer.Ordinal);

    /// <summary>Either scope lets a caller use <c>/mcp</c> at all; tools then ask for their own.</summary>
    public static bool HasAnyTotScope(this ClaimsPrincipal user) => user.HasScope(Read) || user.HasScope(Write);
}
