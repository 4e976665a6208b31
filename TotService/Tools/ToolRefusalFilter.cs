using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace TotService.Tools;

/// <summary>
/// A tool that refuses a call throws <see cref="McpException"/> with a message meant for the client, and arguments
/// that fit the schema but not the parameter types (a number too large for an int) fail the SDK's binding. Both are
/// client mistakes: this turns them into tool errors and one Warning line, where the SDK would log each at Error
/// with a stack trace. Protocol errors (<see cref="McpProtocolException"/>, e.g. an unknown tool) and unexpected
/// failures are left to the SDK.
/// </summary>
public static partial class ToolRefusalFilter
{
    public const string UnreadableArguments = "Invalid arguments: a value could not be read as the type the tool takes (see the tool's input schema).";

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) => async (context, cancel) =>
    {
        string message;
        try
        {
            return await next(context, cancel);
        }
        catch (McpException ex) when (ex is not McpProtocolException)
        {
            message = ex.Message;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or OverflowException or ArgumentException)
        {
            message = UnreadableArguments;
        }
        var logger = context.Services!.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ToolRefusalFilter));
        LogRefused(logger, context.Params?.Name ?? "", message);
        return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = message }] };
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tool} refused the call: {Reason}")]
    private static partial void LogRefused(ILogger logger, string tool, string reason);
}
