using System.ComponentModel;
using TotService.Engine.Diagnostics;
using TotService.Engine.Search;
using TotService.Engine.Sessions;
using TotService.Engine.Tree;

namespace TotService.Tools;

[Description("A node of a client-driven tree.")]
public sealed record TreeNodeView(
    [property: Description("Node id (0 = root, the task).")] int NodeId,
    [property: Description("Parent node id; null for the root.")] int? ParentId,
    [property: Description("Depth (0 = root).")] int Depth,
    [property: Description("The thought.")] string Thought,
    [property: Description("Score 0..1, when scored.")] double? Score,
    [property: Description("open, expanded, pruned, solution or dead_end.")] string Status,
    [property: Description("The scorer's rationale, when given.")] string? Rationale)
{
    public static TreeNodeView From(ThoughtNode node) => new(
        node.Id, node.ParentId, node.Depth, node.Thought, node.Score, EngineMetrics.TagValue(node.Status), node.Rationale);
}

[Description("A client-driven tree and its settings.")]
public sealed record TreeView(
    [property: Description("Tree id.")] string TreeId,
    [property: Description("Search strategy.")] string Strategy,
    [property: Description("Beam width.")] int Breadth,
    [property: Description("Depth limit.")] int MaxDepth,
    [property: Description("Node limit.")] int MaxNodes,
    [property: Description("Score at which a final answer counts as a solution.")] double ScoreThreshold,
    [property: Description("DFS pruning threshold.")] double PruneThreshold,
    [property: Description("Nodes in the tree, root included.")] int NodeCount,
    [property: Description("Version, incremented by every change.")] long Version)
{
    public static TreeView From(string treeId, long version, ThoughtTreeSessionState state) => new(
        treeId, SearchStrategyNames.ToName(state.Settings.Strategy), state.Settings.Breadth, state.Settings.MaxDepth,
        state.Settings.MaxNodes, state.Settings.ScoreThreshold, state.Settings.PruneThreshold, state.Tree.Nodes.Count, version);
}

[Description("Nodes changed by a tree operation.")]
public sealed record TreeNodesView(
    [property: Description("Tree id.")] string TreeId,
    [property: Description("The nodes added or changed.")] IReadOnlyList<TreeNodeView> Nodes);

[Description("The strategy's choice of the next node to expand.")]
public sealed record NextNodeView(
    [property: Description("Tree id.")] string TreeId,
    [property: Description("The node to expand next; null when none.")] TreeNodeView? Node,
    [property: Description("Why the search is over (solution_found, max_nodes, max_depth, frontier_exhausted); null while it can go on.")] string? StopReason,
    [property: Description("What to do next.")] string Message,
    [property: Description("Nodes the strategy pruned while deciding.")] IReadOnlyList<int> PrunedNodeIds,
    [property: Description("Nodes that must be scored first.")] IReadOnlyList<int> UnscoredNodeIds)
{
    public static NextNodeView From(string treeId, NextNodeDecision decision) => new(
        treeId, decision.Node is { } node ? TreeNodeView.From(node) : null,
        decision.StopReason is { } reason ? EngineMetrics.TagValue(reason) : null,
        decision.Message, decision.PrunedNodeIds, decision.UnscoredNodeIds);
}

[Description("The most promising path of a tree.")]
public sealed record BestPathView(
    [property: Description("Tree id.")] string TreeId,
    [property: Description("Root first; empty while nothing is scored.")] IReadOnlyList<TreeNodeView> Path,
    [property: Description("Score of the last node.")] double? Score,
    [property: Description("True when the path ends at a node marked solution.")] bool IsSolution);

[Description("A score for one node.")]
public sealed record NodeScore(
    [property: Description("The node to score (not the root).")] int NodeId,
    [property: Description("Value judgement 0..1 (1 = certainly leads to a correct answer).")] double Score,
    [property: Description("Optional short reason, at most 10000 characters.")] string? Rationale = null);
