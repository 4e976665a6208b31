using KeyService.Diagnostics;
using Microsoft.Extensions.Primitives;

namespace KeyService.Tokens;

/// <summary>
/// RFC 6749 section 4.4 client credentials grant with RFC 8707 resource indicators: validates the request in protocol
/// order and answers with a token or the exact section 5.2 error.
/// </summary>
public sealed class ClientCredentialsGrant(
    ClientRegistry clients,
    ClientAuthenticator authenticator,
    AccessTokenIssuer issuer,
    KeyServiceMetrics metrics,
    KeyServiceTelemetry telemetry,
    AuditLog audit)
{
    private const string UnknownClient = "unknown";

    /// <param name="source">The caller's network (<see cref="SourceAddress.Key"/>), for the failure limits.</param>
    public async Task<(IssuedToken? Token, TokenError? Error)> HandleAsync(StringValues authorization, IFormCollection form, string source)
    {
        using var activity = telemetry.Source.StartActivity("token.issue");
        var (token, error, clientId) = await EvaluateAsync(authorization, form, source);
        var result = error?.Error ?? "success";
        metrics.TokenRequest(clientId, result);
        activity?.SetTag("oauth.client_id", clientId).SetTag("oauth.result", result).SetTag("jwt.kid", token?.KeyId);
        if (token is not null)
        {
            audit.TokenIssued(clientId, token.Scope, token.Audience, source, token.Jti, token.KeyId);
        }
        else
        {
            audit.TokenRefused(clientId, form["scope"].ToString(), form["resource"].ToString(), result, error!.StatusCode, source);
        }
        return (token, error);
    }

    private async Task<(IssuedToken?, TokenError?, string ClientId)> EvaluateAsync(StringValues authorization, IFormCollection form, string source)
    {
        if (form.FirstOrDefault(p => p.Value.Count > 1 && p.Key != "resource") is { Key: not null } duplicate)
        {
            return Fail(TokenError.InvalidRequest($"Parameter '{duplicate.Key}' is repeated."));
        }
        if (StringValues.IsNullOrEmpty(form["grant_type"]))
        {
            return Fail(TokenError.InvalidRequest("grant_type is required."));
        }
        if (form["grant_type"] != "client_credentials")
        {
            return Fail(TokenError.UnsupportedGrantType("Only client_credentials is supported."));
        }

        var (credentials, credentialError) = ClientCredentials.Read(authorization, form);
        if (credentials is null)
        {
            return Fail(credentialError!);
        }
        // Unknown ids take the same path as wrong secrets: the same work, limits and answers.
        var (client, authenticationError) = await authenticator.AuthenticateAsync(credentials, source);
        if (client is null)
        {
            // Operators see which configured client is under attack; callers get the same answer either way.
            return Fail(authenticationError!, clients.Find(credentials.ClientId)?.ClientId ?? UnknownClient);
        }

        var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        var scopes = requested.Count == 0 ? client.AllowedScopes : requested;
        if (scopes.FirstOrDefault(s => !client.AllowedScopes.Contains(s, StringComparer.Ordinal)) is { } refused)
        {
            return Fail(TokenError.InvalidScope($"Scope '{refused}' is not allowed for this client."), client.ClientId);
        }

        var resources = form["resource"];
        if (resources.Count > 1)
        {
            return Fail(TokenError.InvalidTarget("Request one resource per token."), client.ClientId);
        }
        var audience = resources.Count == 1 ? resources.ToString()
            : client.AllowedAudiences.Count == 1 ? client.AllowedAudiences[0] : null;
        if (audience is null)
        {
            return Fail(TokenError.InvalidTarget("resource is required: this client may call several resources."), client.ClientId);
        }
        if (!Uri.TryCreate(audience, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Fragment)
            || !client.AllowedAudiences.Contains(audience, StringComparer.Ordinal))
        {
            return Fail(TokenError.InvalidTarget("The resource is not allowed for this client."), client.ClientId);
        }

        if (issuer.Issue(client.ClientId, scopes, audience) is not { } token)
        {
            return Fail(new TokenError("temporarily_unavailable", "No signing key is active yet.", StatusCodes.Status503ServiceUnavailable)
            {
                RetryAfter = TimeSpan.FromSeconds(1),
            }, client.ClientId);
        }
        return (token, null, client.ClientId);
    }

    private static (IssuedToken?, TokenError?, string) Fail(TokenError error, string clientId = UnknownClient) => (null, error, clientId);
}
