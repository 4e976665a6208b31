using System.Text.Json;

namespace TotService.Mcp;

/// <summary>JSON-RPC 2.0 error bodies for requests refused before the MCP SDK sees them.</summary>
public static class JsonRpcErrors
{
    public const int ParseError = -32700;

    /// <summary>Server-defined code (JSON-RPC reserves -32000..-32099): the HTTP layer refused the request.</summary>
    public const int Refused = -32001;

    public static async Task WriteAsync(HttpResponse response, int httpStatus, int code, string message, JsonElement? id = null)
    {
        response.StatusCode = httpStatus;
        response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteString("jsonrpc", "2.0");
        writer.WritePropertyName("id");
        if (id is { ValueKind: JsonValueKind.String or JsonValueKind.Number } requestId)
        {
            requestId.WriteTo(writer);
        }
        else
        {
            writer.WriteNullValue();
        }
        writer.WriteStartObject("error");
        writer.WriteNumber("code", code);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(response.HttpContext.RequestAborted);
    }
}
