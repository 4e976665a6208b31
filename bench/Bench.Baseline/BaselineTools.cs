using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Bench.Baseline;

/// <summary>TotService's whoami with the same attributes and result shape; the caller is whoever the context says.</summary>
[McpServerToolType]
public sealed class BaselineTools
{
    [McpServerTool(Name = "whoami", Title = "Who am I", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Returns the caller as the server sees it: token subject, client id and granted scopes.")]
    public static CallerInfo WhoAmI(RequestContext<CallToolRequestParams> context)
    {
        var user = context.User;
        return new CallerInfo(
            user?.FindFirst("sub")?.Value ?? "anonymous",
            user?.FindFirst("client_id")?.Value,
            user?.FindAll("scope").Select(c => c.Value).Distinct().Order(StringComparer.Ordinal).ToArray() ?? []);
    }

    [Description("The caller.")]
    public sealed record CallerInfo(
        [property: Description("Token subject (sub).")] string Subject,
        [property: Description("OAuth client id (client_id), when present.")] string? ClientId,
        [property: Description("Scopes granted by the token.")] IReadOnlyList<string> Scopes);
}
