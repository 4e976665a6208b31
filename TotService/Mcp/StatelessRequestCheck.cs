using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using TotService.Protocol;

namespace TotService.Mcp;

/// <summary>
/// What a 2026-07-28 request must declare, checked in two steps so the perimeter can decide from headers alone:
/// <see cref="ReadHeaders"/> before the body is read (one <c>Mcp-Method</c>, and one <c>Mcp-Name</c> for a call that
/// names a tool, prompt or resource), <see cref="CheckBody"/> after (the body says what the headers said, and its
/// <c>_meta</c> carries the revision and the client's capabilities). The SDK checks some of this too; doing it first
/// keeps every answer in this server's words and guarantees that a header which disagrees with the body reaches no tool.
/// </summary>
public static class StatelessRequestCheck
{
    /// <summary><c>_meta</c> holds a revision, client info and capabilities: a few hundred bytes from any real client.</summary>
    public const int MaxMetaBytes = 16 * 1024;

    /// <summary>The method and (for calls that name one) the target a 2026-07-28 request declares in its headers.</summary>
    public readonly record struct Declared(string Method, string? Name);

    public static McpRefusal? ReadHeaders(IHeaderDictionary headers, out Declared declared)
    {
        declared = default;
        if (McpHeaders.IsRepeated(headers, McpHeaders.Method) || McpHeaders.OneValue(headers, McpHeaders.Method) is not { } method)
        {
            return HeaderMismatch($"A {McpProtocolRevisions.Stateless} request carries exactly one {McpHeaders.Method} header naming its JSON-RPC method.");
        }
        if (RoutingProperty(method) is null)
        {
            declared = new Declared(method, null);
            return null;
        }
        if (McpHeaders.IsRepeated(headers, McpHeaders.Name) || McpHeaders.OneValue(headers, McpHeaders.Name) is not { } encoded)
        {
            return HeaderMismatch($"A {McpProtocolRevisions.Stateless} '{McpMethodNames.Normalize(method)}' request carries exactly one {McpHeaders.Name} header naming its target.");
        }
        if (McpHeaderEncoder.DecodeValue(encoded) is not { } name)
        {
            return HeaderMismatch($"The {McpHeaders.Name} header is neither plain text nor valid =?base64?...?= encoding.");
        }
        declared = new Declared(method, name);
        return null;
    }

    public static McpRefusal? CheckBody(JsonRpcMessage message, Declared declared, int metaBytes)
    {
        var (method, parameters) = message switch
        {
            JsonRpcRequest request => (request.Method, request.Params),
            JsonRpcNotification notification => (notification.Method, notification.Params),
            _ => (null, null),
        };
        if (method is null)
        {
            return null; // a response to a server request: no method, nothing declared
        }
        if (!string.Equals(method, declared.Method, StringComparison.Ordinal))
        {
            return HeaderMismatch($"The {McpHeaders.Method} header does not match the method in the request body.");
        }
        if (RoutingProperty(method) is { } property
            && !string.Equals(StringProperty(parameters, property), declared.Name, StringComparison.Ordinal))
        {
            return HeaderMismatch($"The {McpHeaders.Name} header does not match params.{property} in the request body.");
        }
        if (metaBytes > MaxMetaBytes)
        {
            return McpRefusal.BadRequest((int)McpErrorCode.InvalidParams, $"params._meta is larger than {MaxMetaBytes} bytes.");
        }
        if (message is not JsonRpcRequest)
        {
            return null; // notifications may leave _meta out: nobody could read an error about it
        }
        if (IsRemoved(method))
        {
            return new McpRefusal(StatusCodes.Status404NotFound, (int)McpErrorCode.MethodNotFound,
                $"Method '{method}' does not exist in protocol version {McpProtocolRevisions.Stateless}: use server/discover instead of initialize and ping, and _meta instead of logging/setLevel.");
        }
        var meta = (parameters as JsonObject)?["_meta"] as JsonObject;
        if (StringProperty(meta, MetaKeys.ProtocolVersion) is not { } version)
        {
            return McpRefusal.BadRequest((int)McpErrorCode.InvalidParams,
                $"A {McpProtocolRevisions.Stateless} request carries params._meta[\"{MetaKeys.ProtocolVersion}\"] as a string.");
        }
        if (!McpProtocolRevisions.IsStateless(version))
        {
            return HeaderMismatch($"The {McpHeaders.ProtocolVersion} header does not match params._meta[\"{MetaKeys.ProtocolVersion}\"].");
        }
        if (meta![MetaKeys.ClientCapabilities] is not JsonObject)
        {
            return McpRefusal.BadRequest((int)McpErrorCode.InvalidParams,
                $"A {McpProtocolRevisions.Stateless} request carries params._meta[\"{MetaKeys.ClientCapabilities}\"] as an object.");
        }
        return null;
    }

    /// <summary>The params property the <c>Mcp-Name</c> header repeats, for the methods that name a target.</summary>
    private static string? RoutingProperty(string method) => method switch
    {
        RequestMethods.ToolsCall or RequestMethods.PromptsGet => "name",
        RequestMethods.ResourcesRead => "uri",
        TaskMethods.Get or TaskMethods.Update or TaskMethods.Cancel => "taskId",
        _ => null,
    };

#pragma warning disable MCP9005 // logging/setLevel is deprecated; named here only to refuse it on the revision that removed it.
    private static bool IsRemoved(string method) => method is RequestMethods.Initialize or RequestMethods.Ping
        or RequestMethods.LoggingSetLevel or RequestMethods.ResourcesSubscribe or RequestMethods.ResourcesUnsubscribe;
#pragma warning restore MCP9005

    /// <summary>A string property; the body's text was checked before (<see cref="McpBodyText"/>), so reading it cannot throw.</summary>
    private static string? StringProperty(JsonNode? node, string property) =>
        node is JsonObject obj && obj[property] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static McpRefusal HeaderMismatch(string message) => McpRefusal.BadRequest((int)McpErrorCode.HeaderMismatch, message);
}
