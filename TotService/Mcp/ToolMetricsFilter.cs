using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Diagnostics;

namespace TotService.Mcp;

/// <summary>SDK request filter recording <c>totmcp.mcp.tool.calls</c> and its duration per tool and outcome.</summary>
public static class ToolMetricsFilter
{
    public static McpRequestHandler<CallToolRequestParams, CallToolResult> CallTool(
        McpRequestHandler<CallToolRequestParams, CallToolResult> next) => async (context, cancel) =>
    {
        var services = context.Services!;
        var registry = services.GetRequiredService<ToolScopeRegistry>();
        var metrics = services.GetRequiredService<TotServiceMetrics>();
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var name = context.Params?.Name ?? "";
        var toolTag = registry.IsKnown(name) ? name : "unknown";
        var started = timeProvider.GetTimestamp();
        var outcome = "error";
        try
        {
            var result = await next(context, cancel);
            outcome = result.IsError == true ? "tool_error" : "ok";
            return result;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        catch (InputRequiredException)
        {
            // A multi round-trip request asking the client's model: a round, not a failure.
            outcome = "input_required";
            throw;
        }
        finally
        {
            metrics.ToolCallCompleted(toolTag, outcome, timeProvider.GetElapsedTime(started));
        }
    };
}
