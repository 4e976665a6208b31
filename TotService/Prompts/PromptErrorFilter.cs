using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Engine;

namespace TotService.Prompts;

/// <summary>
/// A <c>prompts/get</c> that names no prompt of this server, or leaves out a required argument (which fails the
/// SDK's binding, answered as "An error occurred."), gets -32602 in this server's words.
/// </summary>
public static class PromptErrorFilter
{
    public static McpRequestHandler<GetPromptRequestParams, GetPromptResult> Filter(
        McpRequestHandler<GetPromptRequestParams, GetPromptResult> next) => async (context, cancel) =>
    {
        var name = context.Params?.Name;
        if (context.MatchedPrimitive is null)
        {
            throw new McpProtocolException($"Unknown prompt '{EchoedText.Clip(name)}': this server offers {ThinkPrompt.Name}.", McpErrorCode.InvalidParams);
        }
        try
        {
            return await next(context, cancel);
        }
        catch (Exception ex) when (ex is ArgumentException or JsonException or FormatException or InvalidOperationException)
        {
            throw new McpProtocolException(
                $"Invalid arguments for prompt '{EchoedText.Clip(name)}': give every required argument as text (prompts/list names them).",
                McpErrorCode.InvalidParams);
        }
    };
}
