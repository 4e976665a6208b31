using System.Security.Cryptography;
using Aspire.Hosting.Publishing;

namespace AppHost.Resources;

public static class SecretParameters
{
    /// <summary>
    /// A secret parameter whose local default is <paramref name="bytes"/> random bytes in base64 (e.g. an AES-256 key),
    /// kept in the AppHost's user secrets so restarts keep it. Published, it is a parameter without a value: each
    /// deployment supplies its own.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddRandomKeyParameter(this IDistributedApplicationBuilder builder, string name, int bytes) =>
        builder.AddParameter(name, new RandomBytesParameterDefault(bytes), secret: true, persist: true);

    /// <summary>A random secret string (URL-safe letters and digits), persisted like the key above.</summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 43, Special = false }, secret: true, persist: true);

    private sealed class RandomBytesParameterDefault(int bytes) : ParameterDefault
    {
        public override string GetDefaultValue() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));

        // Nothing in the manifest: a generated key would otherwise be a shared default of every deployment.
        public override void WriteToManifest(ManifestPublishingContext context)
        {
        }
    }
}
