using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Protocol;

namespace TotService.Mcp;

/// <summary>
/// Cache hints on <c>tools/list</c> for 2026-07-28 requests (the revision that defines them): the
/// tool set only changes with a deployment, so a client may keep it for <see cref="TimeToLive"/>; it is filtered by the
/// token's scopes, so it is <c>private</c> to the caller and never shareable between users.
/// </summary>
public static class ToolListCacheHints
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromMinutes(5);

    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> ListTools(
        McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) => async (context, cancel) =>
    {
        var result = await next(context, cancel);
        // Older revisions do not know these fields, and strict clients refuse unknown ones.
        if (McpProtocolRevisions.IsStateless(context.JsonRpcRequest.Params?["_meta"]?[MetaKeys.ProtocolVersion]?.GetValueKind() == JsonValueKind.String
                ? context.JsonRpcRequest.Params["_meta"]![MetaKeys.ProtocolVersion]!.GetValue<string>()
                : null))
        {
            result.TimeToLive ??= TimeToLive;
            result.CacheScope ??= CacheScope.Private;
        }
        return result;
    };
}
