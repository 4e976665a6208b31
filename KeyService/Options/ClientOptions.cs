namespace KeyService.Options;

/// <summary>One client allowed to use the client credentials grant (<c>KeyService:Clients:&lt;i&gt;</c>).</summary>
public sealed class ClientOptions
{
    public string ClientId { get; set; } = "";

    /// <summary><c>PBKDF2-SHA256$&lt;iterations&gt;$&lt;salt&gt;$&lt;hash&gt;</c>, see <see cref="ClientSecretHasher"/>.</summary>
    public string? SecretHash { get; set; }

    /// <summary>Plain secret: accepted in Development only.</summary>
    public string? Secret { get; set; }

    public List<string> AllowedScopes { get; set; } = [];

    public List<string> AllowedAudiences { get; set; } = [];
}
