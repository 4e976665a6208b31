using Microsoft.Net.Http.Headers;
using ModelContextProtocol.Protocol;
using TotService.Configuration;
using TotService.Identity;
using TotService.Protocol;

namespace TotService.Authentication;

/// <summary>
/// <c>WWW-Authenticate</c> values as the MCP authorization spec asks (RFC 6750 section 3 with RFC 9728's
/// <c>resource_metadata</c>). Written here because the SDK's <c>McpAuthenticationHandler</c> never emits <c>scope</c>
/// or <c>insufficient_scope</c>.
/// </summary>
public sealed class BearerChallenge(ResourceUrls urls)
{
    /// <summary>401: the minimum scope to use <c>/mcp</c>; <c>error="invalid_token"</c> only when a token was sent.</summary>
    public string Unauthorized(bool tokenWasSent) =>
        tokenWasSent
            ? $"Bearer error=\"invalid_token\", resource_metadata=\"{urls.MetadataUrl}\", scope=\"{TotScopes.Read}\""
            : $"Bearer resource_metadata=\"{urls.MetadataUrl}\", scope=\"{TotScopes.Read}\"";

    /// <summary>403: the token is valid but lacks <paramref name="scope"/> (step-up authorization).</summary>
    public string InsufficientScope(string scope) =>
        $"Bearer error=\"insufficient_scope\", scope=\"{scope}\", resource_metadata=\"{urls.MetadataUrl}\"";

    public void WriteUnauthorized(HttpResponse response, bool tokenWasSent)
    {
        response.StatusCode = StatusCodes.Status401Unauthorized;
        response.Headers[HeaderNames.WWWAuthenticate] = Unauthorized(tokenWasSent);
    }

    /// <summary>403 with the challenge and a JSON-RPC error naming the scope; <paramref name="id"/> is the refused request's.</summary>
    public Task WriteInsufficientScopeAsync(HttpResponse response, string scope, RequestId id)
    {
        response.Headers[HeaderNames.WWWAuthenticate] = InsufficientScope(scope);
        return JsonRpcErrors.WriteAsync(response, StatusCodes.Status403Forbidden, JsonRpcErrors.Refused,
            $"Insufficient scope: this request needs '{scope}'.", id);
    }
}
