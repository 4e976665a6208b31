using System.Security.Claims;

namespace KeyService.Authorization;

/// <summary>
/// Who a person is at KeyService after the organisation's identity provider signed them in: the subject from the
/// configured claim, their name, and the scopes their groups (or roles) may grant. Refusals are worded for the person.
/// </summary>
public static class UpstreamPerson
{
    /// <summary>Longer subjects are refused: they end up in every token, log line and per-client limit key.</summary>
    public const int MaxSubjectLength = 255;

    public static (SignedInPerson? Person, string? Refusal) From(ClaimsPrincipal idToken, UpstreamProviderOptions upstream, IReadOnlyList<string> userScopes)
    {
        var subject = idToken.FindFirst(upstream.SubjectClaim)?.Value;
        if (string.IsNullOrEmpty(subject) || subject.Length > MaxSubjectLength || subject.Any(char.IsControl))
        {
            return (null, $"{upstream.DisplayName} did not say who you are in a form KeyService accepts.");
        }
        var name = idToken.FindFirst(upstream.NameClaim)?.Value is { Length: > 0 and <= MaxSubjectLength } n && !n.Any(char.IsControl) ? n : subject;
        IReadOnlyList<string> scopes = userScopes;
        if (upstream.ScopesByGroup.Count > 0)
        {
            var groups = idToken.FindAll(upstream.GroupsClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
            var allowed = upstream.ScopesByGroup.Where(g => groups.Contains(g.Key)).SelectMany(g => g.Value).ToHashSet(StringComparer.Ordinal);
            scopes = [.. userScopes.Where(allowed.Contains)];
        }
        return scopes.Count == 0
            ? (null, $"Your account at {upstream.DisplayName} is in no group that may use this service. Ask your administrator for access.")
            : (new SignedInPerson(subject, name, scopes), null);
    }
}
