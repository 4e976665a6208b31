using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Identity;
using TotService.Mcp;

namespace TotService.Tools;

/// <summary>Cheap read-only tools for checking connectivity and what the server sees of the caller.</summary>
[McpServerToolType]
public sealed class ServerInfoTools(TimeProvider timeProvider)
{
    [McpServerTool(Name = "server_info", Title = "Server information", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Returns the server's product name, version, current UTC time and the OAuth scopes it understands.")]
    [RequiresScope(TotScopes.Read)]
    public ServerInfo GetServerInfo() =>
        new(ServerIdentity.Product, ServerIdentity.Version, timeProvider.GetUtcNow(), TotScopes.All);

    [McpServerTool(Name = "whoami", Title = "Who am I", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Returns the caller as the server sees it: token subject, client id and granted scopes.")]
    [RequiresScope(TotScopes.Read)]
    public static CallerInfo WhoAmI(RequestContext<CallToolRequestParams> context)
    {
        var user = context.User;
        if (user?.Identity is CallerIdentity caller)
        {
            return new CallerInfo(caller.Subject, caller.ClientId, caller.SortedScopes);
        }
        return new CallerInfo(
            user?.FindFirst(TotClaims.Subject)?.Value ?? "",
            user?.FindFirst(TotClaims.ClientId)?.Value,
            user?.Granted().Distinct().Order(StringComparer.Ordinal).ToArray() ?? []);
    }

    [Description("Server identity and clock.")]
    public sealed record ServerInfo(
        [property: Description("Product name.")] string Product,
        [property: Description("Product version.")] string Version,
        [property: Description("Current server time (UTC).")] DateTimeOffset UtcNow,
        [property: Description("OAuth scopes this server understands.")] IReadOnlyList<string> Scopes);

    [Description("The authenticated caller.")]
    public sealed record CallerInfo(
        [property: Description("Token subject (sub).")] string Subject,
        [property: Description("OAuth client id (client_id), when present.")] string? ClientId,
        [property: Description("Scopes granted by the token.")] IReadOnlyList<string> Scopes);
}
