using ModelContextProtocol.Protocol;

namespace TotService.Protocol;

/// <summary>
/// The JSON-RPC method a request under <c>/mcp</c> declares, as a closed-set tag for metrics and audit lines: set once
/// the body (or a 2026-07-28 request's <c>Mcp-Method</c> header) is read, and read by whoever refuses or counts it.
/// </summary>
public static class McpRequestMethod
{
    private static readonly object MethodKey = new();

    public static void Set(HttpContext context, JsonRpcMessage message) =>
        Set(context, (message as JsonRpcRequest)?.Method ?? (message as JsonRpcNotification)?.Method);

    public static void Set(HttpContext context, string? method) => context.Items[MethodKey] = McpMethodNames.Normalize(method);

    /// <summary>The method tag known so far: from the body or a 2026-07-28 request's header, else from the HTTP verb.</summary>
    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(MethodKey, out var known) && known is string name
            ? name
            : McpHeaders.MethodTag(context.Request) ?? McpMethodNames.ForHttpVerb(context.Request.Method);
}
