using AppHost.Resources;
using KeyService.Options;

namespace AppHost.ServiceWiring;

/// <summary>The settings each service needs from the app model, kept out of Program.cs so it reads as a graph.</summary>
public static class ServiceSettingsExtensions
{
    public const string McpPath = "/mcp";
    public const string DevClientId = "dev";
    public const string DevUserName = "developer";

    /// <summary>
    /// KeyService: the public issuer URL (instance 0's, shared by all instances), the key-encryption key, and the
    /// development client. KeyService gets only a salted hash of the client's secret, computed here at each start;
    /// published, the hash is a parameter of its own that the deployment supplies.
    /// </summary>
    public static ProjectInstances WithTokenIssuerSettings(
        this ProjectInstances keyservice, IResourceBuilder<ParameterResource> keyEncryptionKey,
        IResourceBuilder<ParameterResource> devClientSecret, ProjectInstances audience)
    {
        var builder = keyservice.First.ApplicationBuilder;
        var secretHash = builder.ExecutionContext.IsPublishMode ? builder.AddParameter("dev-client-secret-hash", secret: true) : null;
        return keyservice.Each(instance =>
        {
            instance
                .WithEnvironment("KeyService__Issuer", keyservice.First.GetEndpoint("http"))
                .WithEnvironment("KeyService__KeyEncryptionKey", keyEncryptionKey)
                .WithEnvironment("KeyService__Clients__0__ClientId", DevClientId)
                .WithEnvironment("KeyService__Clients__0__AllowedScopes__0", "tot:read")
                .WithEnvironment("KeyService__Clients__0__AllowedScopes__1", "tot:write")
                .WithEnvironment("KeyService__Clients__0__AllowedAudiences__0", ReferenceExpression.Create($"{audience.First.GetEndpoint("http")}{McpPath}"));
            if (secretHash is not null)
            {
                instance.WithEnvironment("KeyService__Clients__0__SecretHash", secretHash);
            }
            else
            {
                instance.WithEnvironment(async context =>
                {
                    var secret = await devClientSecret.Resource.GetValueAsync(context.CancellationToken)
                        ?? throw new InvalidOperationException($"Parameter '{devClientSecret.Resource.Name}' has no value.");
                    context.EnvironmentVariables["KeyService__Clients__0__SecretHash"] = ClientSecretHasher.Hash(secret);
                });
            }
        });
    }

    /// <summary>
    /// KeyService's development sign-in for people (browser sign-in from MCP clients), in a Development run only: the
    /// user <see cref="DevUserName"/> with a generated password, kept in the AppHost's user secrets. Null otherwise
    /// (published, or another environment): KeyService then offers no sign-in.
    /// </summary>
    public static IResourceBuilder<ParameterResource>? WithDevelopmentSignIn(this ProjectInstances keyservice, string environment)
    {
        var builder = keyservice.First.ApplicationBuilder;
        if (!builder.ExecutionContext.IsRunMode || environment != "Development")
        {
            return null;
        }
        var password = builder.AddGeneratedSecret("dev-user-password");
        keyservice.Each(instance => instance
            .WithEnvironment("KeyService__Authorization__DevelopmentUser__UserName", DevUserName)
            .WithEnvironment("KeyService__Authorization__DevelopmentUser__Password", password));
        return password;
    }

    /// <summary>The secret parameter holding the client secret KeyService was given by the organisation's provider.</summary>
    public const string UpstreamClientSecretParameter = "upstream-client-secret";

    /// <summary>
    /// KeyService's sign-in at the organisation's OpenID Connect provider, when <c>AppHost:UpstreamSignIn:Authority</c>
    /// is set: the provider's settings, and its client secret as a secret parameter (null when not configured).
    /// </summary>
    public static IResourceBuilder<ParameterResource>? WithUpstreamSignIn(this ProjectInstances keyservice, UpstreamSignInSettings upstream)
    {
        if (!upstream.Configured)
        {
            return null;
        }
        var secret = keyservice.First.ApplicationBuilder.AddParameter(UpstreamClientSecretParameter, secret: true);
        keyservice.Each(instance =>
        {
            foreach (var (name, value) in UpstreamEnvironment(upstream))
            {
                instance.WithEnvironment(name, value);
            }
            instance.WithEnvironment("KeyService__Authorization__Upstream__ClientSecret", secret);
        });
        return secret;
    }

    /// <summary>The provider's settings as KeyService reads them (the secret apart).</summary>
    public static IReadOnlyDictionary<string, string> UpstreamEnvironment(UpstreamSignInSettings upstream) => new Dictionary<string, string>
    {
        ["KeyService__Authorization__Upstream__Authority"] = upstream.Authority!,
        ["KeyService__Authorization__Upstream__ClientId"] = upstream.ClientId,
        ["KeyService__Authorization__Upstream__DisplayName"] = upstream.DisplayName,
    };

    /// <summary>TotService: where to fetch keys (service discovery), which issuer to trust, and its own audience.</summary>
    public static ProjectInstances WithTokenValidationSettings(this ProjectInstances totservice, ProjectInstances issuer) =>
        totservice.Each(instance => instance
            .WithEnvironment("TotService__Authority", $"http://{issuer.Name}")
            .WithEnvironment("TotService__Issuer", issuer.First.GetEndpoint("http"))
            .WithEnvironment("TotService__Audience", ReferenceExpression.Create($"{totservice.First.GetEndpoint("http")}{McpPath}")));
}
