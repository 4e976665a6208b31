using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Engine.Diagnostics;
using TotService.Engine.Tree;
using TotService.Trees;

namespace TotService.Tools;

/// <summary>Read-only views of the caller's client-driven trees.</summary>
[McpServerToolType]
public sealed class TreeQueryTools(TreeCommands trees)
{
    [McpServerTool(Name = "tot_tree_best_path", Title = "Best path", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("The most promising path of a tree, root first: a marked solution first, else the highest score (leaves at the depth limit included).")]
    [RequiresScope(TotScopes.Read)]
    public async Task<CallToolResult> BestPath(
        RequestContext<CallToolRequestParams> context,
        [Description("The tree id returned by tot_tree_create (tree_ + 32 hex digits).")] string treeId,
        CancellationToken cancellationToken = default)
    {
        var (tree, path) = await trees.ReadAsync(treeId, Caller.Owner(context), TreeOperationNames.BestPath,
            session => session.BestPath(), cancellationToken);
        var last = path.Count > 0 ? path[^1] : null;
        var view = new BestPathView(tree.Id, [.. path.Select(TreeNodeView.From)], last?.Score, last?.Status == NodeStatus.Solution);
        var text = path.Count == 0
            ? "Nothing is scored yet, so there is no best path."
            : "Best path: " + string.Join(" -> ", path.Skip(1).Select(n => $"[{n.Id}] {n.Thought}"));
        return ToolResults.Create(text, view);
    }

    [McpServerTool(Name = "tot_tree_view", Title = "View a tree", ReadOnly = true, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("The whole tree as JSON (nodes with scores and statuses) or as a Mermaid flowchart.")]
    [RequiresScope(TotScopes.Read)]
    public async Task<CallToolResult> View(
        RequestContext<CallToolRequestParams> context,
        [Description("The tree id returned by tot_tree_create (tree_ + 32 hex digits).")] string treeId,
        [Description("json or mermaid.")] string format = "json",
        CancellationToken cancellationToken = default)
    {
        var normalized = format?.Trim().ToLowerInvariant();
        if (normalized is not ("json" or "mermaid"))
        {
            throw new McpException($"Invalid arguments: unknown format '{SearchArguments.Clip(format)}'. Allowed: json, mermaid.");
        }
        var (tree, rendered) = await trees.ReadAsync(treeId, Caller.Owner(context), TreeOperationNames.Render,
            session => normalized == "json" ? session.RenderJson() : session.RenderMermaid(), cancellationToken);
        if (normalized == "mermaid")
        {
            return ToolResults.Create($"```mermaid\n{rendered}```", new MermaidView(tree.Id, rendered));
        }
        using var json = JsonDocument.Parse(rendered);
        return ToolResults.Create(rendered, new JsonView(tree.Id, json.RootElement.Clone()));
    }

    [Description("A tree as a Mermaid flowchart.")]
    public sealed record MermaidView(
        [property: Description("Tree id.")] string TreeId,
        [property: Description("Mermaid source (graph TD).")] string Mermaid);

    [Description("A tree as JSON.")]
    public sealed record JsonView(
        [property: Description("Tree id.")] string TreeId,
        [property: Description("Task, constraints and nodes.")] JsonElement Tree);
}
