using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace TotService.Protocol;

/// <summary>JSON-RPC 2.0 error bodies for requests refused before the MCP SDK sees them, in the SDK's own types.</summary>
public static class JsonRpcErrors
{
    public const int ParseError = -32700;

    /// <summary>Server-defined code (JSON-RPC reserves -32000..-32099): the HTTP layer refused the request.</summary>
    public const int Refused = -32001;

    private static readonly JsonTypeInfo<JsonRpcMessage> MessageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    /// <summary>The whole body as bytes, so an error while serializing can never leave a partial body on the wire.</summary>
    public static byte[] Serialize(int code, string message, RequestId id = default, JsonNode? data = null) =>
        JsonSerializer.SerializeToUtf8Bytes<JsonRpcMessage>(
            new JsonRpcError { Id = id, Error = new JsonRpcErrorDetail { Code = code, Message = message, Data = data } }, MessageType);

    public static Task WriteAsync(HttpResponse response, int httpStatus, int code, string message, RequestId id = default, JsonNode? data = null)
    {
        var body = Serialize(code, message, id, data);
        response.StatusCode = httpStatus;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body, response.HttpContext.RequestAborted).AsTask();
    }
}
