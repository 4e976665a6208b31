using System.Text.Json;
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

    /// <summary>
    /// <paramref name="message"/> is <paramref name="body"/> as the SDK reads it. The properties checked here are read
    /// from the body's bytes, not through the message's <c>JsonNode</c> params: that would build a dictionary of every
    /// property of <c>params</c> and of <c>_meta</c> on each request, only to read three of them.
    /// </summary>
    public static McpRefusal? CheckBody(JsonRpcMessage message, Declared declared, ReadOnlySpan<byte> body, int metaBytes)
    {
        var method = message switch
        {
            JsonRpcRequest request => request.Method,
            JsonRpcNotification notification => notification.Method,
            _ => null,
        };
        if (method is null)
        {
            return null; // a response to a server request: no method, nothing declared
        }
        if (!string.Equals(method, declared.Method, StringComparison.Ordinal))
        {
            return HeaderMismatch($"The {McpHeaders.Method} header does not match the method in the request body.");
        }
        var parameters = JsonBodyProperty.Find(body, JsonBodyProperty.Root(body), "params");
        if (parameters.IsRepeated)
        {
            return Repeated("params");
        }
        if (RoutingProperty(method) is { } property)
        {
            var target = JsonBodyProperty.Find(body, parameters, property);
            if (target.IsRepeated)
            {
                return Repeated($"params.{property}");
            }
            if (!target.IsString(body, declared.Name))
            {
                return HeaderMismatch($"The {McpHeaders.Name} header does not match params.{property} in the request body.");
            }
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
        var meta = JsonBodyProperty.Find(body, parameters, "_meta");
        var version = JsonBodyProperty.Find(body, meta, MetaKeys.ProtocolVersion);
        if (meta.IsRepeated || version.IsRepeated)
        {
            return Repeated(meta.IsRepeated ? "params._meta" : $"params._meta[\"{MetaKeys.ProtocolVersion}\"]");
        }
        if (version.Kind != JsonValueKind.String)
        {
            return McpRefusal.BadRequest((int)McpErrorCode.InvalidParams,
                $"A {McpProtocolRevisions.Stateless} request carries params._meta[\"{MetaKeys.ProtocolVersion}\"] as a string.");
        }
        if (!version.IsString(body, McpProtocolRevisions.Stateless))
        {
            return HeaderMismatch($"The {McpHeaders.ProtocolVersion} header does not match params._meta[\"{MetaKeys.ProtocolVersion}\"].");
        }
        var capabilities = JsonBodyProperty.Find(body, meta, MetaKeys.ClientCapabilities);
        if (capabilities.IsRepeated)
        {
            return Repeated($"params._meta[\"{MetaKeys.ClientCapabilities}\"]");
        }
        if (capabilities.Kind != JsonValueKind.Object)
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

    private static McpRefusal HeaderMismatch(string message) => McpRefusal.BadRequest((int)McpErrorCode.HeaderMismatch, message);

    /// <summary>Readers disagree on a repeated name (first or last wins), so the body could say two things at once.</summary>
    private static McpRefusal Repeated(string path) =>
        McpRefusal.BadRequest((int)McpErrorCode.InvalidRequest, $"The request body names {path} more than once.");
}
