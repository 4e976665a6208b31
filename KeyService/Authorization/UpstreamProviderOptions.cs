namespace KeyService.Authorization;

/// <summary>
/// The organisation's OpenID Connect provider (<c>KeyService:Authorization:Upstream</c>): people sign in there
/// (authorization code with PKCE, a confidential client of that provider), and KeyService issues its own tokens for
/// them. Off while <see cref="Authority"/> is unset.
/// </summary>
public sealed class UpstreamProviderOptions
{
    /// <summary>The provider's issuer URL; its metadata is read from <c>{Authority}/.well-known/openid-configuration</c>. https outside Development.</summary>
    public Uri? Authority { get; set; }

    public string ClientId { get; set; } = "";

    /// <summary>The client secret KeyService was given by the provider (a Kubernetes secret or an Aspire secret parameter).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Shown on the sign-in page: "Sign in with ...".</summary>
    public string DisplayName { get; set; } = "your organisation";

    /// <summary>Scopes asked of the provider; <c>openid</c> is required.</summary>
    public List<string> Scopes { get; set; } = ["openid", "profile"];

    /// <summary>The ID token claim that becomes the <c>sub</c> of KeyService's tokens.</summary>
    public string SubjectClaim { get; set; } = "sub";

    /// <summary>The ID token claim shown as the person's name (the subject when absent).</summary>
    public string NameClaim { get; set; } = "name";

    /// <summary>The ID token claim that lists the person's groups or roles (<see cref="ScopesByGroup"/> reads it).</summary>
    public string GroupsClaim { get; set; } = "groups";

    /// <summary>
    /// Which of <see cref="AuthorizationOptions.UserScopes"/> each group (or role) may grant. Empty: every person the
    /// provider signs in may grant all of them. Set: a person may grant the union of their groups' scopes, and a
    /// client asking for more gets fewer (RFC 6749 section 3.3); a person in no listed group is refused.
    /// </summary>
    public Dictionary<string, List<string>> ScopesByGroup { get; set; } = [];

    /// <summary>How long KeyService waits for the provider's metadata, keys and token endpoint.</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public bool Configured => Authority is not null;
}
