using Microsoft.IdentityModel.Tokens;

namespace TotService.Authentication;

/// <summary>Whether a signing key is published now: in the validation parameters or the configuration manager's current keys.</summary>
public static class PublishedSigningKeys
{
    public static async ValueTask<bool> ContainAsync(TokenValidationParameters parameters, string keyId)
    {
        if (Contains(parameters.IssuerSigningKeys, keyId) || string.Equals(parameters.IssuerSigningKey?.KeyId, keyId, StringComparison.Ordinal))
        {
            return true;
        }
        return parameters.ConfigurationManager is { } manager
            && Contains((await manager.GetBaseConfigurationAsync(CancellationToken.None))?.SigningKeys, keyId);
    }

    private static bool Contains(IEnumerable<SecurityKey>? keys, string keyId)
    {
        foreach (var key in keys ?? [])
        {
            if (string.Equals(key.KeyId, keyId, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
