using KeyService.Tokens;
using Microsoft.Extensions.Primitives;

namespace KeyService.Authorization;

/// <summary>
/// Who is calling the token or revocation endpoint for an authorization code grant: a configured client by its secret
/// (the client credentials path, with its limits), or a public client by its <c>client_id</c> alone (an empty secret
/// counts as none).
/// </summary>
public sealed class GrantClientAuthenticator(ClientAuthenticator secrets, AuthorizationClientResolver clients)
{
    public async Task<(AuthorizationClient? Client, TokenError? Error)> AuthenticateAsync(
        StringValues authorization, IFormCollection form, string source, CancellationToken cancellationToken)
    {
        if (!StringValues.IsNullOrEmpty(authorization) || !StringValues.IsNullOrEmpty(form["client_secret"]))
        {
            var (credentials, error) = ClientCredentials.Read(authorization, form);
            if (credentials is null)
            {
                return (null, error);
            }
            // A public client sending an empty secret (Basic "client_id:", as the MCP C# SDK does for a metadata
            // document client when the metadata lists client_secret_basic first) presents no secret at all.
            if (credentials.Secret.Length == 0
                && await clients.FindAsync(credentials.ClientId, cancellationToken) is { IsPublic: true } publicClient)
            {
                return (publicClient, null);
            }
            var (configured, refused) = await secrets.AuthenticateAsync(credentials, source);
            if (configured is null)
            {
                return (null, refused);
            }
            return configured.RedirectUris.Count > 0
                ? (new AuthorizationClient(configured.ClientId, configured.ClientName, null, null, configured.RedirectUris, configured), null)
                : (null, new TokenError("unauthorized_client", "This client may use client credentials only."));
        }
        if (form["client_id"] is not { Count: 1 } id || string.IsNullOrEmpty(id))
        {
            return (null, TokenError.InvalidClient("Client authentication is required (client_id for a public client)."));
        }
        // A configured client must prove its secret: it is not a public client because it left the secret out.
        return await clients.FindAsync(id.ToString(), cancellationToken) is { IsPublic: true } client
            ? (client, null)
            : (null, TokenError.InvalidClient("Client authentication failed."));
    }
}
