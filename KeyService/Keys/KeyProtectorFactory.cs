using System.Security.Cryptography;
using KeyService.Options;
using Microsoft.Extensions.Options;

namespace KeyService.Keys;

/// <summary>Builds the <see cref="KeyProtector"/> from <c>KeyService:KeyEncryptionKey</c>, or an ephemeral key in Development.</summary>
internal static class KeyProtectorFactory
{
    public static KeyProtector Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<KeyServiceOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            return new KeyProtector(Convert.FromBase64String(options.KeyEncryptionKey), isEphemeral: false);
        }

        // The options validator refuses a missing key outside Development, so this is Development only.
        services.GetRequiredService<ILoggerFactory>().CreateLogger<KeyProtector>().LogWarning(
            "KeyService:KeyEncryptionKey is not configured; using an ephemeral key-encryption key. " +
            "Stored signing keys will not be readable after a restart and will be replaced.");
        return new KeyProtector(RandomNumberGenerator.GetBytes(32), isEphemeral: true);
    }
}
