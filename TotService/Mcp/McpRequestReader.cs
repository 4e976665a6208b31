using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace TotService.Mcp;

/// <summary>
/// Reads a <c>POST /mcp</c> body exactly as the MCP SDK will: the SDK's <see cref="JsonRpcMessage"/> and
/// <see cref="CallToolRequestParams"/> types with its <see cref="McpJsonUtilities.DefaultOptions"/>, over the same UTF-8
/// bytes (only UTF-8 JSON is admitted, so no charset conversion can make the two readings differ). Whatever this
/// cannot read is refused here, so the SDK never meets a body it would fail on.
/// </summary>
public static class McpRequestReader
{
    private static readonly JsonTypeInfo<JsonRpcMessage> MessageType =
        (JsonTypeInfo<JsonRpcMessage>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage));

    private static readonly JsonTypeInfo<CallToolRequestParams> CallToolParamsType =
        (JsonTypeInfo<CallToolRequestParams>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(CallToolRequestParams));

    private static readonly JsonTypeInfo<GetPromptRequestParams> GetPromptParamsType =
        (JsonTypeInfo<GetPromptRequestParams>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(GetPromptRequestParams));

    private static readonly JsonTypeInfo<ReadResourceRequestParams> ReadResourceParamsType =
        (JsonTypeInfo<ReadResourceRequestParams>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(ReadResourceRequestParams));

    /// <summary><c>application/json</c>, with no charset or UTF-8 (the only encoding JSON exchanged between systems may use, RFC 8259).</summary>
    public static bool IsSupportedContentType(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var charset = mediaType.Charset;
        return charset.Length == 0 || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The message, or null when the body is not one JSON-RPC message the SDK could read.</summary>
    public static JsonRpcMessage? TryRead(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize(body, MessageType);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            // JsonException for syntax; the others from converters meeting valid JSON that is not valid text or not a message.
            return null;
        }
    }

    /// <summary>The tool a <c>tools/call</c> names, as the SDK binds it; null for other messages or unreadable params.</summary>
    public static string? ToolName(JsonRpcMessage message) =>
        Target(message) is (RequestMethods.ToolsCall, var tool) ? tool : null;

    /// <summary>
    /// The method and what it names, as the SDK binds it: the tool of a <c>tools/call</c>, the prompt of a
    /// <c>prompts/get</c>, the URI of a <c>resources/read</c>; null for other messages or unreadable params.
    /// </summary>
    public static (string Method, string Name)? Target(JsonRpcMessage message)
    {
        if (message is not JsonRpcRequest { Params: { } parameters } request)
        {
            return null;
        }
        try
        {
            var name = request.Method switch
            {
                RequestMethods.ToolsCall => JsonSerializer.Deserialize(parameters, CallToolParamsType)?.Name,
                RequestMethods.PromptsGet => JsonSerializer.Deserialize(parameters, GetPromptParamsType)?.Name,
                RequestMethods.ResourcesRead => JsonSerializer.Deserialize(parameters, ReadResourceParamsType)?.Uri,
                _ => null,
            };
            return name is null ? null : (request.Method, name);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or ArgumentException or FormatException)
        {
            // The SDK cannot bind these params either, so it answers with an error and calls nothing.
            return null;
        }
    }
}
