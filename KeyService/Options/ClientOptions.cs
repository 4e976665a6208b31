namespace KeyService.Options;

/// <summary>
/// One configured client (<c>KeyService:Clients:&lt;i&gt;</c>): uses the client credentials grant, and with
/// <see cref="RedirectUris"/> also the authorization code flow as a confidential client.
/// </summary>
public sealed class ClientOptions
{
    public string ClientId { get; set; } = "";

    /// <summary><c>PBKDF2-SHA256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>, see <see cref="ClientSecretHasher"/>.</summary>
    public string? SecretHash { get; set; }

    /// <summary>Plain secret: accepted in Development only.</summary>
    public string? Secret { get; set; }

    public List<string> AllowedScopes { get; set; } = [];

    public List<string> AllowedAudiences { get; set; } = [];

    /// <summary>Redirect URIs for the authorization code flow; none keeps the client to client credentials.</summary>
    public List<string> RedirectUris { get; set; } = [];

    /// <summary>Shown on the consent page.</summary>
    public string? ClientName { get; set; }
}
