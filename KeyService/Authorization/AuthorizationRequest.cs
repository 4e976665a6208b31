namespace KeyService.Authorization;

/// <summary>A validated authorization request (RFC 6749 section 4.1.1 with PKCE and an RFC 8707 resource).</summary>
/// <param name="Query">The request's query string as received, carried through the sign-in and consent forms.</param>
public sealed record AuthorizationRequest(
    AuthorizationClient Client,
    string RedirectUri,
    string CodeChallenge,
    string Resource,
    IReadOnlyList<string> Scopes,
    string? State,
    string Query)
{
    public string Scope => string.Join(' ', Scopes);
}

/// <summary>
/// Why an authorization request was refused. Without a trusted redirect URI (unknown client, unregistered URI) the
/// person sees <see cref="Description"/> on a page and nothing is sent anywhere; otherwise the client gets the error
/// at its redirect URI (RFC 6749 section 4.1.2.1).
/// </summary>
public sealed record AuthorizationError(string Error, string Description, string? RedirectUri = null, string? State = null);
