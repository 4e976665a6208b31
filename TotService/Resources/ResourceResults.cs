using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Mcp;
using TotService.Tools;

namespace TotService.Resources;

/// <summary>One text content for the URI read, with the cache hints its freshness allows.</summary>
internal static class ResourceResults
{
    public const string JsonMimeType = "application/json";

    /// <summary>Not registered with IANA; a <c>text/</c> type, so clients show it as text, and says what the text is.</summary>
    public const string MermaidMimeType = "text/vnd.mermaid";

    public static ReadResourceResult Json<T>(RequestContext<ReadResourceRequestParams> context, T view, TimeSpan timeToLive) =>
        Text(context, JsonSerializer.Serialize(view, ToolResults.Json), JsonMimeType, timeToLive);

    public static ReadResourceResult Text(RequestContext<ReadResourceRequestParams> context, string text, string mimeType, TimeSpan timeToLive) =>
        CacheHints.Private(
            new ReadResourceResult { Contents = [new TextResourceContents { Uri = context.Params!.Uri, MimeType = mimeType, Text = text }] },
            context.JsonRpcRequest, timeToLive);
}
