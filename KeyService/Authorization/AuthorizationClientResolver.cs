using KeyService.Tokens;

namespace KeyService.Authorization;

/// <summary>Finds the client an authorization or token request names: configured, registered or (in time) by metadata document.</summary>
public sealed class AuthorizationClientResolver(ClientRegistry configured, IEnumerable<IAuthorizationClientSource> sources)
{
    /// <summary>Longer ids are no client of this service (a metadata document URL is well under this).</summary>
    public const int MaxClientIdLength = 512;

    public async Task<AuthorizationClient?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        if (clientId.Length > MaxClientIdLength)
        {
            return null;
        }
        if (configured.Find(clientId) is { RedirectUris.Count: > 0 } client)
        {
            return new AuthorizationClient(client.ClientId, client.ClientName, null, null, client.RedirectUris, client);
        }
        foreach (var source in sources)
        {
            if (await source.FindAsync(clientId, cancellationToken) is { } found)
            {
                return found;
            }
        }
        return null;
    }
}

/// <summary>Clients that are not in configuration (registered dynamically, or described by a metadata document).</summary>
public interface IAuthorizationClientSource
{
    Task<AuthorizationClient?> FindAsync(string clientId, CancellationToken cancellationToken);
}
