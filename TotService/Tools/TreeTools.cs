using System.ComponentModel;
using System.Globalization;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Engine;
using TotService.Engine.Diagnostics;
using TotService.Engine.Tree;
using TotService.Identity;
using TotService.Trees;

namespace TotService.Tools;

/// <summary>
/// Client-driven thought trees: the client's own model proposes and scores thoughts, the server keeps the tree and
/// the search discipline (which node next, pruning, best path). Trees are shared by replicas and kept 24 h.
/// </summary>
[McpServerToolType]
public sealed class TreeTools(TreeCommands trees)
{
    private const string TreeIdDescription = "The tree id returned by tot_tree_create (tree_ + 32 hex digits).";

    [McpServerTool(Name = "tot_tree_create", Title = "Create a thought tree", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false)]
    [Description("Creates a thought tree for a problem with a search strategy; node 0 is the task. Then loop: tot_tree_next, " +
        "tot_tree_add_thoughts under the chosen node, tot_tree_score them; finish with tot_tree_mark and tot_tree_best_path.")]
    [RequiresScope(TotScopes.Write)]
    public async Task<CallToolResult> Create(
        RequestContext<CallToolRequestParams> context,
        [Description("The problem, at most 10000 characters.")] string task,
        [Description("Optional constraints, at most 10000 characters.")] string? constraints = null,
        [Description(RunArgumentDescriptions.Strategy)] string strategy = "beam",
        [Description("Beam: distinct nodes kept per level, 1-10.")] int breadth = 5,
        [Description("Depth limit, 1-10.")] int maxDepth = 4,
        [Description("Maximum nodes in the tree, 1-2000.")] int maxNodes = 500,
        [Description("A final answer scoring at least this (0-1) is a solution.")] double scoreThreshold = 1.0,
        [Description("DFS: children scoring below this (0-1) are pruned.")] double pruneThreshold = 0.3,
        [Description("Best-first: open nodes kept in the frontier, 1-2000.")] int maxFrontier = 100,
        [Description(RunArgumentDescriptions.ExplorationConstant)] double explorationConstant = 1.0,
        [Description(RunArgumentDescriptions.MaxIterations)] int maxIterations = EngineLimits.MaxIterations,
        CancellationToken cancellationToken = default)
    {
        var errors = new List<string>();
        var (problem, settings) = SearchArguments.Parse(errors, task, constraints, strategy, breadth, maxDepth, maxNodes, maxFrontier,
            candidatesPerNode: 5, pruneThreshold, scoreThreshold, timeBudgetSeconds: 60, explorationConstant, maxIterations);
        SearchArguments.ThrowIfAny(errors);
        var tree = await trees.CreateAsync(Caller.Owner(context), problem, settings, cancellationToken);
        var view = TreeView.From(tree.Id, tree.Version, tree.Session);
        return ToolResults.Create($"Created tree {tree.Id} ({view.Strategy}). Node 0 holds the task; add thoughts under it with tot_tree_add_thoughts.", view);
    }

    [McpServerTool(Name = "tot_tree_add_thoughts", Title = "Add thoughts", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false)]
    [Description("Adds 1-10 candidate thoughts as children of a node (which becomes expanded); score them next with tot_tree_score.")]
    [RequiresScope(TotScopes.Write)]
    public async Task<CallToolResult> AddThoughts(
        RequestContext<CallToolRequestParams> context,
        [Description(TreeIdDescription)] string treeId,
        [Description("The node to add thoughts under (0 = root).")] int parentId,
        [Description("1-10 thoughts, each non-empty and at most 10000 characters.")] string[] thoughts,
        CancellationToken cancellationToken = default)
    {
        var (tree, added) = await trees.UpdateAsync(treeId, Caller.Owner(context), TreeOperationNames.AddThoughts,
            session => session.AddThoughts(parentId, thoughts ?? []), cancellationToken);
        var view = new TreeNodesView(tree.Id, [.. added.Select(TreeNodeView.From)]);
        return ToolResults.Create($"Added nodes {string.Join(", ", added.Select(n => n.Id))} under node {parentId}; score them with tot_tree_score.", view);
    }

    [McpServerTool(Name = "tot_tree_score", Title = "Score thoughts", ReadOnly = false, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("Records value judgements (0..1) for one or more nodes of a tree.")]
    [RequiresScope(TotScopes.Write)]
    public async Task<CallToolResult> Score(
        RequestContext<CallToolRequestParams> context,
        [Description(TreeIdDescription)] string treeId,
        [Description("1-2000 scores: nodeId, score (0..1) and an optional rationale.")] NodeScore[] scores,
        CancellationToken cancellationToken = default)
    {
        if (scores is null || scores.Length is 0 or > EngineLimits.MaxNodes)
        {
            throw new McpException($"Invalid arguments: scores must hold between 1 and {EngineLimits.MaxNodes} entries (got {scores?.Length ?? 0}).");
        }
        var (tree, scored) = await trees.UpdateAsync(treeId, Caller.Owner(context), TreeOperationNames.Score,
            session => scores.Select(s => session.Score(s.NodeId, s.Score, s.Rationale)).ToList(), cancellationToken);
        var view = new TreeNodesView(tree.Id, [.. scored.Select(TreeNodeView.From)]);
        return ToolResults.Create($"Scored {scored.Count} node(s). Ask tot_tree_next which node to expand.", view);
    }

    [McpServerTool(Name = "tot_tree_next", Title = "Next node to expand", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false)]
    [Description("Asks the tree's strategy which node to expand next. May prune nodes (beam cut, frontier bound, DFS threshold, duplicates); " +
        "says when the search is over and why.")]
    [RequiresScope(TotScopes.Write)]
    public async Task<CallToolResult> Next(
        RequestContext<CallToolRequestParams> context,
        [Description(TreeIdDescription)] string treeId,
        CancellationToken cancellationToken = default)
    {
        var (tree, decision) = await trees.UpdateAsync(treeId, Caller.Owner(context), TreeOperationNames.SelectNext,
            session => session.SelectNext(), cancellationToken);
        var view = NextNodeView.From(tree.Id, decision);
        return ToolResults.Create(decision.Node is { } node ? $"{decision.Message} Node {node.Id}: {node.Thought}" : decision.Message, view);
    }

    [McpServerTool(Name = "tot_tree_mark", Title = "Mark a node", ReadOnly = false, Destructive = false,
        Idempotent = true, OpenWorld = false)]
    [Description("Marks a node as a solution (it then leads the best path) or as a dead end (never expanded or chosen).")]
    [RequiresScope(TotScopes.Write)]
    public async Task<CallToolResult> Mark(
        RequestContext<CallToolRequestParams> context,
        [Description(TreeIdDescription)] string treeId,
        [Description("The node to mark (not the root).")] int nodeId,
        [Description("solution or dead_end.")] string mark,
        CancellationToken cancellationToken = default)
    {
        var status = mark?.Trim().ToLowerInvariant() switch
        {
            "solution" => NodeStatus.Solution,
            "dead_end" or "dead-end" or "deadend" => NodeStatus.DeadEnd,
            _ => throw new McpException($"Invalid arguments: unknown mark '{EchoedText.Clip(mark)}'. Allowed: solution, dead_end."),
        };
        var (tree, node) = await trees.UpdateAsync(treeId, Caller.Owner(context), TreeOperationNames.Mark,
            session => status == NodeStatus.Solution ? session.MarkSolution(nodeId) : session.MarkDeadEnd(nodeId), cancellationToken);
        var view = new TreeNodesView(tree.Id, [TreeNodeView.From(node)]);
        return ToolResults.Create(string.Create(CultureInfo.InvariantCulture, $"Node {node.Id} marked {EngineMetrics.TagValue(node.Status)}."), view);
    }
}
