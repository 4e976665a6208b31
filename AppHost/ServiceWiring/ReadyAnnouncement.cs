using AppHost.Lifecycle;
using AppHost.Resources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AppHost.ServiceWiring;

public static class ReadyAnnouncement
{
    /// <summary>
    /// Once TotService is ready, prints its MCP URL and a ready-to-paste token command. The development client's secret
    /// goes to a 0600 file that the command reads, never to the console or a log.
    /// </summary>
    public static void AnnounceMcpEndpoint(
        this IDistributedApplicationBuilder builder, ProjectInstances keyservice, ProjectInstances totservice,
        IResourceBuilder<ParameterResource> devClientSecret, PrivateRunFolder runFolder)
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
        });
    }
}
