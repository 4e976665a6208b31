using KeyService.Options;

namespace KeyService.Authorization;

/// <summary>
/// A client that may use the authorization code flow: configured (confidential, <see cref="Configured"/> set), or
/// public (registered dynamically or identified by its metadata document URL), which proves itself by PKCE alone.
/// </summary>
public sealed record AuthorizationClient(
    string ClientId,
    string? ClientName,
    string? ClientUri,
    string? LogoUri,
    IReadOnlyList<string> RedirectUris,
    ClientOptions? Configured = null)
{
    public bool IsPublic => Configured is null;

    /// <summary>What the consent page calls the client: its name, else its id.</summary>
    public string DisplayName => string.IsNullOrWhiteSpace(ClientName) ? ClientId : ClientName;
}
