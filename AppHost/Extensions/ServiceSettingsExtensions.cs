using AppHost.Hosting;
using AppHost.Hosting.Model;
using KeyService.Tokens;

namespace AppHost.Extensions;

/// <summary>The settings each service needs from the app model, kept out of Program.cs so it reads as a graph.</summary>
internal static class ServiceSettingsExtensions
{
    public const string McpPath = "/mcp";
    public const string DevClientId = "dev";

    /// <summary>KeyService: public issuer URL, a generated key-encryption key and a generated development client.</summary>
    public static IResourceBuilder<ProjectResource> WithTokenIssuerSettings(
        this IResourceBuilder<ProjectResource> keyservice, IResourceBuilder<ProjectResource> audience)
    {
        var builder = keyservice.ApplicationBuilder;
        var keyEncryptionKey = builder.AddParameter("keyservice-kek", secret: true, generate: () => ParameterResource.RandomKey(32));
        var devClientSecret = builder.AddParameter("dev-client-secret", secret: true, generate: () => ParameterResource.RandomToken(32));
        // KeyService stores only a salted hash of a client secret; the plain secret stays with the AppHost.
        var devClientSecretHash = builder.AddResource(new ParameterResource("dev-client-secret-hash", secret: true,
            generate: () => ClientSecretHasher.Hash(devClientSecret.Resource.Value ?? ParameterResource.RandomToken(32)))
        { KeepGenerated = false });

        return keyservice
            .WithEnvironment("KeyService__Issuer", keyservice.GetEndpoint())
            .WithEnvironment("KeyService__KeyEncryptionKey", keyEncryptionKey.Resource)
            .WithEnvironment("KeyService__Clients__0__ClientId", DevClientId)
            .WithEnvironment("KeyService__Clients__0__SecretHash", devClientSecretHash.Resource)
            .WithEnvironment("KeyService__Clients__0__AllowedScopes__0", "tot:read")
            .WithEnvironment("KeyService__Clients__0__AllowedScopes__1", "tot:write")
            .WithEnvironment("KeyService__Clients__0__AllowedAudiences__0", ReferenceExpression.Create($"{audience.GetEndpoint()}{McpPath}"));
    }

    /// <summary>TotService: where to fetch keys (service discovery), which issuer to trust, and its own audience.</summary>
    public static IResourceBuilder<ProjectResource> WithTokenValidationSettings(
        this IResourceBuilder<ProjectResource> totservice, IResourceBuilder<ProjectResource> issuer) =>
        totservice
            .WithEnvironment("TotService__Authority", $"http://{issuer.Resource.Name}")
            .WithEnvironment("TotService__Issuer", issuer.GetEndpoint())
            .WithEnvironment("TotService__Audience", ReferenceExpression.Create($"{totservice.GetEndpoint()}{McpPath}"));
}
