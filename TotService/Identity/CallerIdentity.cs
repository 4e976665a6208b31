using System.Collections.Frozen;
using System.Security.Claims;

namespace TotService.Identity;

/// <summary>
/// The identity of a validated KeyService token, built once per token and shared, read-only, by every request that
/// presents the same token (see <c>CachingJsonWebTokenHandler</c>). What the MCP pipeline asks on every
/// request (subject, client id, granted scopes) is computed here once instead of by scanning and splitting claims
/// per call (docs/BENCHMARKS.md: claim lookups were a fifth of a tool call's allocations). Claim names compare
/// ordinally, as JWT claim names are case-sensitive (RFC 7519 section 4).
/// </summary>
public sealed class CallerIdentity : ClaimsIdentity
{
    private const string ReadOnlyMessage = "A validated caller identity is shared between requests and cannot be changed.";

    private readonly Claim[] _claims;

    public CallerIdentity(ClaimsIdentity validated) : base(validated)
    {
        _claims = [.. base.Claims];
        Subject = FindFirst(TotClaims.Subject)?.Value ?? "";
        ClientId = FindFirst(TotClaims.ClientId)?.Value;
        Scopes = _claims
            .Where(claim => claim.Type == TotClaims.Scope)
            .SelectMany(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToFrozenSet(StringComparer.Ordinal);
        SortedScopes = [.. Scopes.Order(StringComparer.Ordinal)];
    }

    /// <summary>The token's <c>sub</c>; empty when it has none (such a token is refused).</summary>
    public string Subject { get; }

    public string? ClientId { get; }

    /// <summary>The space-separated <c>scope</c> claim(s), split once.</summary>
    public FrozenSet<string> Scopes { get; }

    /// <summary><see cref="Scopes"/> in ordinal order, for answers that list them.</summary>
    public IReadOnlyList<string> SortedScopes { get; }

    public override IEnumerable<Claim> Claims => _claims;

    public override Claim? FindFirst(string type)
    {
        foreach (var claim in _claims)
        {
            if (string.Equals(claim.Type, type, StringComparison.Ordinal))
            {
                return claim;
            }
        }
        return null;
    }

    public override IEnumerable<Claim> FindAll(string type) =>
        Array.FindAll(_claims, claim => string.Equals(claim.Type, type, StringComparison.Ordinal));

    public override bool HasClaim(string type, string value)
    {
        foreach (var claim in _claims)
        {
            if (string.Equals(claim.Type, type, StringComparison.Ordinal) && string.Equals(claim.Value, value, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    public override void AddClaim(Claim claim) => throw new NotSupportedException(ReadOnlyMessage);

    public override void AddClaims(IEnumerable<Claim?> claims) => throw new NotSupportedException(ReadOnlyMessage);

    public override void RemoveClaim(Claim? claim) => throw new NotSupportedException(ReadOnlyMessage);

    public override bool TryRemoveClaim(Claim? claim) => false;
}
