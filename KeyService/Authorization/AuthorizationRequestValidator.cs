using System.Buffers;
using KeyService.Options;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace KeyService.Authorization;

/// <summary>
/// Checks an authorization request in the order that decides where an error may go: first the client and its
/// redirect URI (never redirect to a URI not registered for the client), then everything else, answered at that URI.
/// PKCE with S256 is required (OAuth 2.1; <c>plain</c> and a missing challenge are refused).
/// </summary>
public sealed class AuthorizationRequestValidator(
    AuthorizationClientResolver clients, IOptions<AuthorizationOptions> authorization, IOptions<KeyServiceOptions> keyService)
{
    /// <summary>Longest query string taken; a real request is well under a kilobyte.</summary>
    public const int MaxQueryLength = 4096;

    private static readonly SearchValues<char> Base64UrlCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    private static readonly SearchValues<char> VerifierCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    /// <summary>The resources a person's token may be for (configured, or the clients' audiences but the issuer).</summary>
    public IReadOnlyList<string> Resources { get; } = authorization.Value.Resources.Count > 0
        ? authorization.Value.Resources
        : [.. keyService.Value.Clients.SelectMany(c => c.AllowedAudiences).Where(a => a != keyService.Value.Issuer).Distinct(StringComparer.Ordinal)];

    /// <summary>RFC 7636 section 4.1: 43 to 128 unreserved characters.</summary>
    public static bool IsVerifier(string value) => value.Length is >= 43 and <= 128 && value.AsSpan().IndexOfAnyExcept(VerifierCharacters) < 0;

    public async Task<(AuthorizationRequest? Request, AuthorizationError? Error)> ValidateAsync(string query, CancellationToken cancellationToken)
    {
        if (query.Length > MaxQueryLength)
        {
            return (null, new AuthorizationError("invalid_request", "The authorization request is too long."));
        }
        var parameters = QueryHelpers.ParseQuery(query);
        if (Single(parameters, "client_id") is not { Length: > 0 } clientId)
        {
            return (null, new AuthorizationError("invalid_request", "client_id is missing or repeated."));
        }
        if (await clients.FindAsync(clientId, cancellationToken) is not { } client)
        {
            return (null, new AuthorizationError("invalid_client", "This application is not known to the sign-in service."));
        }
        var redirectUri = parameters.ContainsKey("redirect_uri") ? Single(parameters, "redirect_uri")
            : client.RedirectUris.Count == 1 ? client.RedirectUris[0] : null;
        if (redirectUri is null || !RedirectUris.Matches(client.RedirectUris, redirectUri))
        {
            return (null, new AuthorizationError("invalid_request",
                "The redirect URI is missing, repeated or not registered for this application, so the sign-in cannot send you back."));
        }

        var state = Single(parameters, "state");
        AuthorizationError Refuse(string error, string description) => new(error, description, redirectUri, state);

        if (parameters.FirstOrDefault(p => p.Value.Count > 1) is { Key: not null } repeated)
        {
            return (null, Refuse("invalid_request", $"Parameter '{repeated.Key}' is repeated."));
        }
        if (Single(parameters, "response_type") != "code")
        {
            return (null, Refuse("unsupported_response_type", "Only response_type=code is supported."));
        }
        if (Single(parameters, "code_challenge") is not { } challenge)
        {
            return (null, Refuse("invalid_request", "PKCE is required: send code_challenge with code_challenge_method=S256."));
        }
        if (Single(parameters, "code_challenge_method") != "S256")
        {
            return (null, Refuse("invalid_request", "code_challenge_method must be S256."));
        }
        if (challenge.Length != 43 || challenge.AsSpan().IndexOfAnyExcept(Base64UrlCharacters) >= 0)
        {
            return (null, Refuse("invalid_request", "code_challenge must be the base64url SHA-256 of the verifier (43 characters)."));
        }

        var resource = Single(parameters, "resource") ?? (Resources.Count == 1 ? Resources[0] : null);
        if (resource is null || !Resources.Contains(resource, StringComparer.Ordinal))
        {
            return (null, Refuse("invalid_target", "The resource is missing or not one this service issues tokens for."));
        }

        var userScopes = authorization.Value.UserScopes;
        var requested = (Single(parameters, "scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        var scopes = requested.Count == 0 ? userScopes : requested;
        if (scopes.FirstOrDefault(s => !userScopes.Contains(s, StringComparer.Ordinal)) is { } refused)
        {
            return (null, Refuse("invalid_scope", $"Scope '{refused}' cannot be granted to an application."));
        }
        return (new AuthorizationRequest(client, redirectUri, challenge, resource, scopes, state, query), null);
    }

    private static string? Single(Dictionary<string, StringValues> parameters, string name) =>
        parameters.TryGetValue(name, out var values) && values.Count == 1 ? values.ToString() : null;
}
