using Microsoft.Extensions.Primitives;

namespace TotService.Protocol;

/// <summary>The Streamable HTTP headers the perimeter reads, and the one rule for all of them: a header counts only when sent once.</summary>
public static class McpHeaders
{
    public const string ProtocolVersion = "MCP-Protocol-Version";
    public const string SessionId = "Mcp-Session-Id";
    public const string Method = "Mcp-Method";
    public const string Name = "Mcp-Name";

    /// <summary>The header's one value; null when it is absent, sent more than once, or empty.</summary>
    public static string? OneValue(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count == 1 && !StringValues.IsNullOrEmpty(values) ? values[0]!.Trim() : null;

    /// <summary>True when the header was sent more than once (a proxy or client that disagrees with itself).</summary>
    public static bool IsRepeated(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var values) && values.Count > 1;

    /// <summary>The revision a request declares in <see cref="ProtocolVersion"/>, when it declares exactly one.</summary>
    public static bool IsStatelessRequest(HttpRequest request) =>
        McpProtocolRevisions.IsStateless(OneValue(request.Headers, ProtocolVersion));

    /// <summary>The <see cref="Method"/> header of a 2026-07-28 request as a metric tag (closed set), or null.</summary>
    public static string? MethodTag(HttpRequest request) =>
        IsStatelessRequest(request) && OneValue(request.Headers, Method) is { } method ? McpMethodNames.Normalize(method) : null;
}
