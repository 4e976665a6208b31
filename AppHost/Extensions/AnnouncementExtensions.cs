using AppHost.Hosting;
using AppHost.Hosting.Model;

namespace AppHost.Extensions;

/// <summary>What the AppHost prints once everything is healthy: where the MCP endpoint is and how to get a token.</summary>
internal static class AnnouncementExtensions
{
    public static void AnnounceMcpEndpoint(
        this DistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> keyservice, IResourceBuilder<ProjectResource> totservice)
    {
        builder.ReadyMessages.Add(app => $"MCP endpoint (Streamable HTTP): {new Uri(app.GetEndpoint(totservice.Resource.Name), ServiceSettingsExtensions.McpPath)}");
        builder.ReadyMessages.Add(app =>
        {
            // The secret goes to a 0600 file, never to the console.
            var secretFile = Path.Combine(app.Model.Options.DataDirectory, "dev-client.secret");
            File.WriteAllText(secretFile, app.Resolve(app.Model.GetResource<ParameterResource>("dev-client-secret")));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(secretFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
            var tokenUrl = new Uri(app.GetEndpoint(keyservice.Resource.Name), "/connect/token");
            var resource = new Uri(app.GetEndpoint(totservice.Resource.Name), ServiceSettingsExtensions.McpPath);
            return $"Get a token: curl -s -u {ServiceSettingsExtensions.DevClientId}:\"$(cat {secretFile})\" -d grant_type=client_credentials -d resource={resource} {tokenUrl}";
        });
    }
}
