using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Protocol;

namespace TotService.Mcp;

/// <summary>
/// <c>server/discover</c> lists every protocol version this server speaks, the ones that open a session with
/// <c>initialize</c> included: a client picks from this list, and an unsupported-version error offers the same list
/// (so a client that speaks only an older revision learns it can fall back). The SDK lists only the revisions without a
/// session, so its result is rewritten on the way out; only a discover result carries <c>supportedVersions</c>.
/// </summary>
public static class DiscoverSupportedVersions
{
    private const string Property = "supportedVersions";

    public static McpMessageHandler Outgoing(McpMessageHandler next) => (context, cancellationToken) =>
    {
        if (context.JsonRpcMessage is JsonRpcResponse { Result: JsonObject result } && result.ContainsKey(Property))
        {
            result[Property] = new JsonArray([.. McpProtocolRevisions.All.Select(v => JsonValue.Create(v))]);
        }
        return next(context, cancellationToken);
    };
}
