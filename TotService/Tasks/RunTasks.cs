using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Identity;
using TotService.Protocol;
using TotService.Runs;
using TotService.Tools;

namespace TotService.Tasks;

/// <summary>
/// Runs as MCP tasks (the <c>io.modelcontextprotocol/tasks</c> extension of MCP 2026-07-28) for clients that declare the
/// extension on a request: <c>tot_start_run</c> answers with a task, and so does <c>tot_solve</c> when its run is still
/// going after <see cref="RunOptions.SolveTaskAfter"/>. A task is the run itself (task id = run id), so it lives in the
/// run store and any replica answers <c>tasks/get</c>, <c>tasks/update</c> and <c>tasks/cancel</c> for it. A run on the
/// client's model shows as <c>input_required</c> with its current round's questions; <c>tasks/update</c> brings the
/// answers and plays the next round.
/// </summary>
/// <remarks>
/// The SDK's tasks package is not among the packages this build may use, so the three wire methods are written here,
/// once, on the SDK's own extension points: <see cref="McpServerOptions.RequestHandlers"/> (which also checks
/// <c>Mcp-Name</c> against <c>taskId</c>) and the alternate-result tool filter.
/// </remarks>
#pragma warning disable MCPEXP002 // RequestHandlers, RoutingNameParameter and ResultOrAlternate are the SDK's experimental extension seams.
public sealed class RunTasks(
    RunQueries queries,
    RunCommands commands,
    ClientModelRuns clientModelRuns,
    RunResultReader results,
    IOptions<RunOptions> options)
{
    private static readonly JsonSerializerOptions Json = McpJsonUtilities.DefaultOptions;

    /// <summary>Advertises the extension and registers the wire methods and the tool filter.</summary>
    public void Register(McpServerOptions server)
    {
        server.Capabilities ??= new ServerCapabilities();
        var extensions = server.Capabilities.Extensions ??= new Dictionary<string, object>();
        extensions[TaskMethods.Extension] = new JsonObject();
        var handlers = server.RequestHandlers ??= [];
        handlers.Add(new McpServerRequestHandler { Method = TaskMethods.Get, RoutingNameParameter = "taskId", Handler = GetAsync });
        handlers.Add(new McpServerRequestHandler { Method = TaskMethods.Update, RoutingNameParameter = "taskId", Handler = UpdateAsync });
        handlers.Add(new McpServerRequestHandler { Method = TaskMethods.Cancel, RoutingNameParameter = "taskId", Handler = CancelAsync });
        server.Filters.Request.CallToolWithAlternateFilters.Add(AsTask);
    }

    private async ValueTask<JsonNode?> GetAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var run = await OwnedRunAsync(request, cancellationToken);
        return await DescribeAsync(run, "complete", cancellationToken);
    }

    private async ValueTask<JsonNode?> UpdateAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var run = await OwnedRunAsync(request, cancellationToken);
        if (run.State == RunState.Waiting)
        {
            await clientModelRuns.UpdateAsync(run, InputResponses(request), cancellationToken);
        }
        return Acknowledged();
    }

    private async ValueTask<JsonNode?> CancelAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        var run = await OwnedRunAsync(request, cancellationToken);
        await commands.CancelAsync(run.Id, run.Owner, cancellationToken);
        return Acknowledged();
    }

    /// <summary>Turns a started (or still running) run into a task, for a client that declared the extension on this call.</summary>
    private async ValueTask<ResultOrAlternate<CallToolResult>> AsTask(
        RequestContext<CallToolRequestParams> context, McpRequestHandler<CallToolRequestParams, ResultOrAlternate<CallToolResult>> next, CancellationToken cancellationToken)
    {
        var outcome = await next(context, cancellationToken);
        if (outcome.IsAlternate || outcome.Result is not { IsError: not true, StructuredContent: { } view }
            || context.Params?.Name is not (RunTools.StartRunName or RunTools.SolveName)
            || !DeclaresExtension(context.JsonRpcRequest)
            || !view.TryGetProperty("runId", out var runIdProperty) || runIdProperty.GetString() is not { } runId
            || context.User?.FindFirst(TotClaims.Subject)?.Value is not { } owner)
        {
            return outcome;
        }
        var run = await queries.GetOwnedAsync(runId, owner, cancellationToken);
        if (context.Params.Name == RunTools.SolveName && !run.State.IsLive())
        {
            return outcome;
        }
        var task = await DescribeAsync(run, "task", cancellationToken);
        return ResultOrAlternate<CallToolResult>.FromAlternate(TaskResult.From(task), TaskResult.TypeInfo);
    }

    /// <summary>The task as the extension shows it: its status, and the field that status carries.</summary>
    private async Task<JsonObject> DescribeAsync(RunRecord run, string resultType, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var task = new JsonObject
        {
            ["resultType"] = resultType,
            ["taskId"] = run.Id,
            ["status"] = Status(run),
            ["statusMessage"] = StatusMessage(run),
            ["createdAt"] = Timestamp(run.CreatedAt),
            ["lastUpdatedAt"] = Timestamp(run.FinishedAt ?? run.StartedAt ?? run.CreatedAt),
            ["ttlMs"] = (long)settings.Ttl.TotalMilliseconds,
            ["pollIntervalMs"] = (long)settings.TaskPollInterval.TotalMilliseconds,
        };
        if (resultType == "task")
        {
            return task;
        }
        switch (run.State)
        {
            case RunState.Waiting:
                var round = await clientModelRuns.CurrentAsync(run, cancellationToken);
                if (round.Questions is { } questions)
                {
                    task["inputRequests"] = JsonSerializer.SerializeToNode(SamplingQuestions.ToInputRequests(questions), Json);
                }
                else
                {
                    return await DescribeAsync(round.Run, resultType, cancellationToken);
                }
                break;
            case RunState.Completed or RunState.Failed:
                task["result"] = JsonSerializer.SerializeToNode(await ResultAsync(run, cancellationToken), Json);
                break;
        }
        return task;
    }

    /// <summary>What <c>tot_run_result</c> would answer; a run that ended without a result is a tool error, not a failed task.</summary>
    private async Task<CallToolResult> ResultAsync(RunRecord run, CancellationToken cancellationToken)
    {
        try
        {
            var (record, result) = await results.ReadAsync(run.Id, run.Owner, cancellationToken);
            var view = RunResultView.From(record, result);
            return ToolResults.Create(view.Describe(), view);
        }
        catch (McpException ex) when (ex is not McpProtocolException)
        {
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = ex.Message }] };
        }
    }

    private static string Status(RunRecord run) => run.State switch
    {
        RunState.Queued or RunState.Running => "working",
        RunState.Waiting => "input_required",
        RunState.Cancelled => "cancelled",
        _ => "completed",
    };

    private static string StatusMessage(RunRecord run) => run.State switch
    {
        RunState.Waiting => $"Waiting for your model's answers ({run.NodesExpanded} nodes expanded so far).",
        RunState.Queued => "Queued for an execution slot.",
        RunState.Running => $"Searching: {run.NodesExpanded} nodes expanded, depth {run.DepthReached}.",
        _ => $"{run.State.Name()}: {run.NodesExpanded} nodes expanded{(run.Error is { } error ? "; " + error : "")}",
    };

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Acknowledged() => new() { ["resultType"] = "complete" };

    /// <summary>The caller's run named by <c>taskId</c>; an unknown, expired or foreign one reads the same (invalid params).</summary>
    private async Task<RunRecord> OwnedRunAsync(JsonRpcRequest request, CancellationToken cancellationToken)
    {
        if (!DeclaresExtension(request))
        {
            throw new McpProtocolException(
                $"{request.Method} belongs to the {TaskMethods.Extension} extension: declare it in this request's _meta client capabilities (extensions).",
                McpErrorCode.MissingRequiredClientCapability);
        }
        var taskId = request.Params is JsonObject parameters && parameters["taskId"] is JsonValue value && value.TryGetValue(out string? id) ? id : null;
        var owner = request.Context?.User?.FindFirst(TotClaims.Subject)?.Value;
        if (taskId is null || owner is null || !RunIds.IsWellFormed(taskId))
        {
            throw NotFound(taskId);
        }
        try
        {
            return await queries.GetOwnedAsync(taskId, owner, cancellationToken);
        }
        catch (McpException ex) when (ex is not McpProtocolException)
        {
            throw NotFound(taskId);
        }
    }

    private McpProtocolException NotFound(string? taskId) => new(
        $"Task '{RunIds.Display(taskId)}' was not found: tasks are visible only to the client that started them and are kept for " +
        $"{options.Value.Ttl.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h.", McpErrorCode.InvalidParams);

    private static Dictionary<string, InputResponse>? InputResponses(JsonRpcRequest request)
    {
        if (request.Params is not JsonObject parameters || parameters["inputResponses"] is not JsonObject responses)
        {
            throw new McpProtocolException("tasks/update carries inputResponses: an object of answers by request key.", McpErrorCode.InvalidParams);
        }
        try
        {
            return responses.Deserialize<Dictionary<string, InputResponse>>(Json);
        }
        catch (JsonException)
        {
            throw new McpProtocolException("inputResponses holds an answer that is not a JSON object.", McpErrorCode.InvalidParams);
        }
    }

    private static bool DeclaresExtension(JsonRpcRequest request) =>
        request.Context?.ClientCapabilities?.Extensions?.ContainsKey(TaskMethods.Extension) == true;
}
#pragma warning restore MCPEXP002
