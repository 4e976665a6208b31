using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StackExchange.Redis;
using TotService.Engine;
using TotService.Mcp;
using TotService.Tools;

namespace TotService.Resources;

/// <summary>
/// A <c>resources/read</c> that cannot be served gets a JSON-RPC error in this server's words: a URI no template
/// matches, or a run or tree that is not the caller's (the tools' "not found" message, which never tells whether it
/// exists), with the code the request's revision uses for a missing resource (-32602 in 2026-07-28, -32002 before) and
/// the URI in <c>error.data</c>. An unreachable store is -32603 with the tools' message.
/// </summary>
public static class ResourceErrorFilter
{
    public static readonly IReadOnlyList<string> Templates =
        [RunResources.RunTemplate, RunResources.TreeTemplate, TreeResources.TreeTemplate, TreeResources.MermaidTemplate];

    public static McpRequestHandler<ReadResourceRequestParams, ReadResourceResult> Filter(
        McpRequestHandler<ReadResourceRequestParams, ReadResourceResult> next) => async (context, cancel) =>
    {
        if (context.MatchedPrimitive is null)
        {
            throw NotFound(context, $"Unknown resource '{EchoedText.Clip(context.Params?.Uri)}': this server serves {string.Join(", ", Templates)}.");
        }
        try
        {
            return await next(context, cancel);
        }
        catch (McpException ex) when (ex is not McpProtocolException)
        {
            throw NotFound(context, ex.Message);
        }
        catch (RedisException)
        {
            throw new McpProtocolException(StorageErrorFilter.Message, McpErrorCode.InternalError);
        }
    };

    private static McpProtocolException NotFound(RequestContext<ReadResourceRequestParams> context, string message) =>
        new(message, RequestRevision.IsStateless(context.JsonRpcRequest) ? McpErrorCode.InvalidParams : McpErrorCode.ResourceNotFound)
        {
            Data = { ["uri"] = EchoedText.Clip(context.Params?.Uri) },
        };
}
