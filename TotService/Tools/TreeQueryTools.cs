using System.ComponentModel;
using System.Text.Json;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Engine;
using TotService.Engine.Diagnostics;
using TotService.Engine.Rendering;
using TotService.Engine.Tree;
using TotService.Identity;
using TotService.Trees;

namespace TotService.Tools;

/// <summary>Read-only views of the caller's client-driven trees.</summary>
[McpServerToolType]
public sealed class TreeQueryTools(TreeCommands trees, IOptions<TreeOptions> options)
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
    [Description("The tree as JSON (nodes with scores and statuses, a page at a time when the tree is large: the answer says where the next page starts) or as a Mermaid flowchart.")]
    [RequiresScope(TotScopes.Read)]
    public async Task<CallToolResult> View(
        RequestContext<CallToolRequestParams> context,
        [Description("The tree id returned by tot_tree_create (tree_ + 32 hex digits).")] string treeId,
        [Description("json or mermaid.")] string format = "json",
        [Description("json: the first node id of the page (0 = from the root).")] int fromNodeId = 0,
        CancellationToken cancellationToken = default)
    {
        var normalized = format?.Trim().ToLowerInvariant();
        if (normalized is not ("json" or "mermaid"))
        {
            throw new McpException($"Invalid arguments: unknown format '{EchoedText.Clip(format)}'. Allowed: json, mermaid.");
        }
        if (normalized == "mermaid")
        {
            var (tree, mermaid) = await trees.ReadAsync(treeId, Caller.Owner(context), TreeOperationNames.Render,
                session => session.RenderMermaid(), cancellationToken);
            return ToolResults.Create($"```mermaid\n{mermaid}```", new MermaidView(tree.Id, mermaid));
        }

        var (view, rendered) = await ReadPageAsync(trees, options.Value, treeId, Caller.Owner(context), fromNodeId, cancellationToken);
        var text = view.NextFromNodeId is { } next
            ? $"Nodes {fromNodeId}-{next - 1} of {view.NodeCount} (the page is limited to {options.Value.MaxViewBytes} bytes); call tot_tree_view with fromNodeId={next} for the next page.\n{rendered}"
            : rendered;
        return ToolResults.Create(text, view);
    }

    /// <summary>A page of the owner's tree, from <paramref name="fromNodeId"/> up to <see cref="TreeOptions.MaxViewBytes"/>, as a view and as JSON text.</summary>
    internal static async Task<(JsonView View, string Rendered)> ReadPageAsync(
        TreeCommands trees, TreeOptions limits, string treeId, string owner, int fromNodeId, CancellationToken cancellationToken)
    {
        var (record, page) = await trees.ReadAsync(treeId, owner, TreeOperationNames.Render,
            session => TreePage.Cut(session.Snapshot(), fromNodeId, limits.MaxViewBytes), cancellationToken);
        var rendered = EngineJson.Serialize(page.Tree);
        using var json = JsonDocument.Parse(rendered);
        return (new JsonView(record.Id, json.RootElement.Clone(), page.NodeCount, fromNodeId, page.NextFromNodeId), rendered);
    }

    [Description("A tree as a Mermaid flowchart.")]
    public sealed record MermaidView(
        [property: Description("Tree id.")] string TreeId,
        [property: Description("Mermaid source (graph TD).")] string Mermaid);

    [Description("A tree, or a page of its nodes, as JSON.")]
    public sealed record JsonView(
        [property: Description("Tree id.")] string TreeId,
        [property: Description("Task, constraints and the nodes of this page.")] JsonElement Tree,
        [property: Description("Nodes in the whole tree, root included.")] int NodeCount,
        [property: Description("The first node id of this page.")] int FromNodeId,
        [property: Description("Where the next page starts; null when this page reaches the last node.")] int? NextFromNodeId)
    {
        [Description("True when the tree has nodes after this page.")]
        public bool Truncated => NextFromNodeId is not null;
    }
}
