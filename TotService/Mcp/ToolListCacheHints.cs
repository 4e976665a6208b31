using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TotService.Mcp;

/// <summary>
/// Cache hints on <c>tools/list</c> for 2026-07-28 requests: the tool set only changes with a deployment, so a client
/// may keep it for <see cref="TimeToLive"/>; it is filtered by the token's scopes, so it is <c>private</c> to the caller
/// and never shareable between users (<see cref="CacheHints"/>).
/// </summary>
public static class ToolListCacheHints
{
    public static readonly TimeSpan TimeToLive = CacheHints.ListTimeToLive;

    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> ListTools(
        McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) => CacheHints.PrivateList(next);
}
