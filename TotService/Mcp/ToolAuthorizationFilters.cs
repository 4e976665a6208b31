using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Diagnostics;

namespace TotService.Mcp;

/// <summary>
/// SDK request filters: hide tools the caller may not call, and (behind <see cref="Hardening.McpGateMiddleware"/>,
/// which already answers HTTP 403) refuse such calls again as defence in depth; both record tool metrics.
/// </summary>
public static class ToolAuthorizationFilters
{
    public static McpRequestHandler<ListToolsRequestParams, ListToolsResult> ListTools(
        McpRequestHandler<ListToolsRequestParams, ListToolsResult> next) => async (context, cancel) =>
    {
        var result = await next(context, cancel);
        var registry = context.Services!.GetRequiredService<ToolScopeRegistry>();
        var user = context.User;
        // Fail closed: a tool the registry does not know is not listed.
        var visible = result.Tools
            .Where(tool => registry.RequiredScope(tool.Name) is { } scope && user?.HasScope(scope) == true)
            .ToList();
        result.Tools.Clear();
        foreach (var tool in visible)
        {
            result.Tools.Add(tool);
        }
        return result;
    };

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
            if (registry.RequiredScope(name) is { } scope && context.User?.HasScope(scope) != true)
            {
                outcome = "forbidden";
                throw new McpException($"Insufficient scope: tool '{name}' needs '{scope}'.");
            }
            var result = await next(context, cancel);
            outcome = result.IsError == true ? "tool_error" : "ok";
            return result;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            outcome = "cancelled";
            throw;
        }
        finally
        {
            metrics.ToolCallCompleted(toolTag, outcome, timeProvider.GetElapsedTime(started));
        }
    };
}
