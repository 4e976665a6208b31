using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StackExchange.Redis;

namespace TotService.Tools;

/// <summary>
/// When Redis is unreachable a tool call gets a tool error saying so (the client can retry), not the SDK's generic
/// failure; the service itself stays up and recovers when Redis returns.
/// </summary>
public static partial class StorageErrorFilter
{
    public const string Message = "The run and tree store (Redis) is unavailable right now; try again shortly.";

    public static McpRequestHandler<CallToolRequestParams, CallToolResult> Filter(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) => async (context, cancel) =>
    {
        try
        {
            return await next(context, cancel);
        }
        catch (RedisException ex)
        {
            var logger = context.Services!.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StorageErrorFilter));
            LogStoreUnavailable(logger, ex, context.Params?.Name ?? "");
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = Message }] };
        }
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tool {Tool} failed: Redis is unavailable")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception ex, string tool);
}
