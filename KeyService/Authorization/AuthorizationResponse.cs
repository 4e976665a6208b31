using Microsoft.AspNetCore.WebUtilities;

namespace KeyService.Authorization;

/// <summary>Builds redirects to the client: the code or the error, with <c>state</c> and <c>iss</c> (RFC 9207).</summary>
public static class AuthorizationResponse
{
    public static string Code(AuthorizationRequest request, string code, string issuer) =>
        Build(request.RedirectUri, [new("code", code), new("state", request.State), new("iss", issuer)]);

    public static string Error(AuthorizationError error, string issuer) =>
        Build(error.RedirectUri!, [new("error", error.Error), new("error_description", error.Description), new("state", error.State), new("iss", issuer)]);

    private static string Build(string redirectUri, IEnumerable<KeyValuePair<string, string?>> parameters) =>
        QueryHelpers.AddQueryString(redirectUri, parameters.Where(p => p.Value is not null));
}
