using System.Collections.Frozen;

namespace TotService.Protocol;

/// <summary>Closed set of JSON-RPC method names used as metric tags (client-sent names never become tags).</summary>
public static class McpMethodNames
{
    public const string ToolsCall = "tools/call";

    private static readonly FrozenSet<string> Known = new[]
    {
        "initialize", "ping", "server/discover", "tools/list", "tools/call", "prompts/list", "prompts/get", "resources/list",
        "resources/read", "resources/templates/list", "resources/subscribe", "resources/unsubscribe",
        "completion/complete", "logging/setLevel", "notifications/initialized", "notifications/cancelled",
        "notifications/progress", "notifications/roots/list_changed", "tasks/get", "tasks/update", "tasks/cancel",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static string Normalize(string? method) =>
        method is null ? "response" : Known.Contains(method) ? method : "other";

    /// <summary>Requests without a JSON-RPC body: the SSE stream (GET) and session end (DELETE).</summary>
    public static string ForHttpVerb(string verb) => verb switch
    {
        "GET" => "stream",
        "DELETE" => "session/delete",
        _ => "unknown",
    };
}
