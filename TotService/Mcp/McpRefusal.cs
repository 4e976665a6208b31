using System.Text.Json.Nodes;

namespace TotService.Mcp;

/// <summary>
/// A request the perimeter answers itself: HTTP status, JSON-RPC error code, a message in the server's words, and
/// optional error data (the supported versions, for an unsupported-version refusal).
/// </summary>
public readonly record struct McpRefusal(int Status, int Code, string Message, JsonNode? Data = null)
{
    public static McpRefusal BadRequest(int code, string message) => new(StatusCodes.Status400BadRequest, code, message);

    /// <summary>Longest <c>requested</c> value echoed: the header is the client's to fill.</summary>
    private const int MaxRequestedLength = 32;

    /// <summary>Clients pick a fallback from <c>data.supported</c>, newest first; <c>data.requested</c> is what they asked for.</summary>
    public static McpRefusal UnsupportedVersion(string message, IEnumerable<string> supported, string requested) =>
        new(StatusCodes.Status400BadRequest, (int)ModelContextProtocol.McpErrorCode.UnsupportedProtocolVersion, message,
            new JsonObject
            {
                ["supported"] = new JsonArray([.. supported.Select(v => JsonValue.Create(v))]),
                ["requested"] = requested.Length <= MaxRequestedLength ? requested : requested[..MaxRequestedLength],
            });
}
