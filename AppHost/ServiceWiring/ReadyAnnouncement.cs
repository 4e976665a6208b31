using AppHost.Lifecycle;
using AppHost.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AppHost.ServiceWiring;

public static class ReadyAnnouncement
{
    /// <summary>
    /// Once TotService is ready, prints its MCP URL, a ready-to-paste token command and, when the development sign-in is
    /// on, who to sign in as. The development client's secret and the development user's password go to 0600 files that
    /// the lines name, never to the console or a log.
    /// </summary>
    public static void AnnounceMcpEndpoint(
        this IDistributedApplicationBuilder builder, ProjectInstances keyservice, ProjectInstances totservice,
        IResourceBuilder<ParameterResource> devClientSecret, IResourceBuilder<ParameterResource>? devUserPassword, PrivateRunFolder runFolder)
    {
        if (!builder.ExecutionContext.IsRunMode)
        {
            return;
        }
        totservice.First.OnResourceReady(async (_, ready, cancellationToken) =>
        {
            var secret = await devClientSecret.Resource.GetValueAsync(cancellationToken) ?? "";
            var secretFile = runFolder.WriteSecretFile("dev-client.secret", secret);
            var mcp = $"{totservice.First.GetEndpoint("http").Url}{ServiceSettingsExtensions.McpPath}";
            var tokenUrl = $"{keyservice.First.GetEndpoint("http").Url}/connect/token";
            var logger = ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger("AppHost");
            logger.LogInformation("MCP endpoint (Streamable HTTP): {McpUrl}", mcp);
            logger.LogInformation(
                "Get a token: curl -s -u {ClientId}:\"$(cat {SecretFile})\" -d grant_type=client_credentials -d resource={McpUrl} {TokenUrl}",
                ServiceSettingsExtensions.DevClientId, secretFile, mcp, tokenUrl);
            if (devUserPassword is not null)
            {
                var password = await devUserPassword.Resource.GetValueAsync(cancellationToken) ?? "";
                var passwordFile = runFolder.WriteSecretFile("dev-user.password", password);
                logger.LogInformation(
                    "Sign in from an MCP client (Claude Code, VS Code, the MCP Inspector) as {UserName}, password: cat {PasswordFile}",
                    ServiceSettingsExtensions.DevUserName, passwordFile);
            }
        });
    }
}
