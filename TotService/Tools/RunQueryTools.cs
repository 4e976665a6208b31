using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Engine.Rendering;
using TotService.Identity;
using TotService.Runs;

namespace TotService.Tools;

/// <summary>Read-only views of the caller's runs; any replica answers.</summary>
[McpServerToolType]
public sealed class RunQueryTools(RunQueries queries, RunResultReader results)
{
    public const int MaxListLimit = 100;

    [McpServerTool(Name = "tot_run_status", Title = "Run status", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("State and progress of one of the caller's runs: nodes expanded, depth, best score, elapsed time, stop reason.")]
    [RequiresScope(TotScopes.Read)]
    public async Task<CallToolResult> RunStatus(
        RequestContext<CallToolRequestParams> context,
        [Description(RunArgumentDescriptions.RunId)] string runId,
        CancellationToken cancellationToken = default)
    {
        var view = RunStatusView.From(await queries.GetOwnedAsync(runId, Caller.Owner(context), cancellationToken));
        return ToolResults.Create(view.Describe(), view);
    }

    [McpServerTool(Name = "tot_run_result", Title = "Run result", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("The answer of a finished run, its best path with scores, and search metrics. Fails with a clear message while the run is still going.")]
    [RequiresScope(TotScopes.Read)]
    public async Task<CallToolResult> RunResult(
        RequestContext<CallToolRequestParams> context,
        [Description(RunArgumentDescriptions.RunId)] string runId,
        CancellationToken cancellationToken = default)
    {
        var (run, result) = await results.ReadAsync(runId, Caller.Owner(context), cancellationToken);
        var view = RunResultView.From(run, result);
        return ToolResults.Create(view.Describe(), view);
    }

    [McpServerTool(Name = "tot_run_trace", Title = "Run trace", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("The whole thought tree of a finished run: JSON (every node with score and status) and a Mermaid flowchart " +
        "(best path green, pruned grey, dead ends red, solutions gold) a client can render.")]
    [RequiresScope(TotScopes.Read)]
    public async Task<CallToolResult> RunTrace(
        RequestContext<CallToolRequestParams> context,
        [Description(RunArgumentDescriptions.RunId)] string runId,
        CancellationToken cancellationToken = default)
    {
        var (run, result) = await results.ReadAsync(runId, Caller.Owner(context), cancellationToken);
        var mermaid = MermaidRenderer.Render(result.Tree);
        using var tree = JsonDocument.Parse(EngineJson.Serialize(result.Tree));
        return ToolResults.Create(
            $"Thought tree of run {run.Id} ({result.Tree.Nodes.Count} nodes{(run.ResultTrimmed ? $"; long texts clipped to fit {RunOptions.SectionName}:MaxResultBytes" : "")}):\n```mermaid\n{mermaid}```",
            new TraceView(run.Id, tree.RootElement.Clone(), mermaid));
    }

    [McpServerTool(Name = "tot_list_runs", Title = "List my runs", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("The caller's runs of the last 24 h, newest first, with state and progress.")]
    [RequiresScope(TotScopes.Read)]
    public async Task<CallToolResult> ListRuns(
        RequestContext<CallToolRequestParams> context,
        [Description("How many runs to return, 1-100.")] int limit = 20,
        CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > MaxListLimit)
        {
            throw new McpException($"Invalid arguments: limit must be between 1 and {MaxListLimit} (got {limit}).");
        }
        var runs = (await queries.ListOwnedAsync(Caller.Owner(context), limit, cancellationToken)).Select(RunStatusView.From).ToList();
        var text = runs.Count == 0
            ? "You have no runs."
            : $"{runs.Count} run(s):\n" + string.Join("\n", runs.Select(r => $"- {r.RunId}: {r.State}, {r.Domain}/{r.Strategy}, {r.NodesExpanded} nodes expanded"));
        return ToolResults.Create(text, new RunListView(runs));
    }

    [Description("A run's thought tree.")]
    public sealed record TraceView(
        [property: Description("Run id.")] string RunId,
        [property: Description("The tree as JSON: task, constraints and nodes (id, parentId, depth, thought, state, score, status).")] JsonElement Tree,
        [property: Description("The tree as a Mermaid flowchart.")] string Mermaid);

    [Description("The caller's runs.")]
    public sealed record RunListView([property: Description("Runs, newest first.")] IReadOnlyList<RunStatusView> Runs);
}
