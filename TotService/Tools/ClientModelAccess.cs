using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Protocol;

namespace TotService.Tools;

/// <summary>
/// How this tool call may reach the caller's model. A session (initialize, up to 2025-11-25) declared its capabilities
/// once and the server can send it requests; a 2026-07-28 request declares them in its own <c>_meta</c> and can only be
/// answered with questions (multi round-trip requests), or with a task when it declares the tasks extension.
/// </summary>
public sealed record ClientModelAccess(bool PerRequest, bool OffersModel, bool OffersTasks)
{
    public static ClientModelAccess Of(RequestContext<CallToolRequestParams> context)
    {
        var perRequest = context.JsonRpcRequest.Context?.ProtocolVersion == McpProtocolRevisions.Stateless;
        var capabilities = perRequest ? context.JsonRpcRequest.Context?.ClientCapabilities : context.Server.ClientCapabilities;
#pragma warning disable MCP9005 // sampling is deprecated by 2026-07-28 but is still how a client lends its model
        var offersModel = capabilities?.Sampling is not null;
#pragma warning restore MCP9005
        return new ClientModelAccess(perRequest, offersModel, perRequest && capabilities?.Extensions?.ContainsKey(TaskMethods.Extension) == true);
    }
}
