namespace TotService.Hardening;

/// <summary>
/// Per-request facts about an MCP request shared between the middlewares on <c>/mcp</c>: the transport guard creates
/// it and records the request metrics from it, the scope guard fills in the JSON-RPC method it read from the body.
/// (A feature rather than <see cref="HttpContext.Items"/>: no dictionary per request.)
/// </summary>
public sealed class McpRequestFeature
{
    /// <summary>The first message's JSON-RPC method, normalized to the closed set of metric tag values.</summary>
    public string? Method { get; set; }
}
