namespace AppHost;

/// <summary>
/// <c>AppHost:UpstreamSignIn</c>: where KeyService sends people to sign in. The client secret the provider gave is the
/// secret parameter <c>upstream-client-secret</c> (user secrets locally, a Kubernetes secret when published).
/// </summary>
public sealed class UpstreamSignInSettings
{
    /// <summary>The provider's issuer URL.</summary>
    public string? Authority { get; set; }

    public string ClientId { get; set; } = "keyservice";

    /// <summary>Shown on the sign-in page: "Sign in with ...".</summary>
    public string DisplayName { get; set; } = "your organisation";

    public bool Configured => !string.IsNullOrEmpty(Authority);
}
