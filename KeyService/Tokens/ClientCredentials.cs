using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace KeyService.Tokens;

/// <summary>Client id and secret as presented, by HTTP Basic (RFC 6749 section 2.3.1) or in the form body.</summary>
public sealed record ClientCredentials(string ClientId, string Secret)
{
    /// <summary>Reads the credentials; an error when they are malformed or presented twice.</summary>
    public static (ClientCredentials? Credentials, TokenError? Error) Read(StringValues authorization, IFormCollection form)
    {
        var formId = form["client_id"];
        var formSecret = form["client_secret"];
        if (!StringValues.IsNullOrEmpty(authorization))
        {
            if (!StringValues.IsNullOrEmpty(formSecret))
            {
                return (null, TokenError.InvalidRequest("Use one client authentication method, not both Basic and client_secret."));
            }
            return ReadBasic(authorization.ToString(), formId);
        }
        if (StringValues.IsNullOrEmpty(formId) || StringValues.IsNullOrEmpty(formSecret))
        {
            return (null, TokenError.InvalidClient("Client authentication is required."));
        }
        return (new ClientCredentials(formId.ToString(), formSecret.ToString()), null);
    }

    private static (ClientCredentials?, TokenError?) ReadBasic(string header, StringValues formId)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            return (null, TokenError.InvalidClient("Unsupported client authentication method."));
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return (null, TokenError.InvalidClient("Malformed Basic credentials."));
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return (null, TokenError.InvalidClient("Malformed Basic credentials."));
        }

        // RFC 6749 section 2.3.1: both parts are form-url-encoded before Base64.
        var clientId = FormDecode(decoded[..colon]);
        var secret = FormDecode(decoded[(colon + 1)..]);
        if (!StringValues.IsNullOrEmpty(formId) && formId.ToString() != clientId)
        {
            return (null, TokenError.InvalidRequest("client_id in the body differs from the authenticated client."));
        }
        return (new ClientCredentials(clientId, secret), null);
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
