using TotService.Engine.Diagnostics;
using TotService.Engine.Rendering;
using TotService.Engine.Search;
using TotService.Engine.Search.Frontiers;
using TotService.Engine.Tree;

namespace TotService.Engine.Sessions;

/// <summary>
/// A client-driven thought tree: the client's model proposes and scores thoughts, this type keeps the
/// tree and applies the search discipline (which node next, pruning, best path). Pure logic over
/// <see cref="ThoughtTreeSessionState"/>; load it, apply one operation, save <see cref="ToState"/>.
/// Refused operations throw <see cref="TreeOperationException"/> with a message for the client.
/// </summary>
public sealed class ThoughtTreeSession
{
    private readonly ThoughtTree tree;

    private ThoughtTreeSession(SearchSettings settings, ThoughtTree tree)
    {
        Settings = settings;
        this.tree = tree;
    }

    public SearchSettings Settings { get; }

    public static ThoughtTreeSession Create(ThoughtProblem problem, SearchSettings settings)
    {
        var errors = problem.Validate().Concat(settings.Validate()).ToList();
        if (errors.Count > 0)
        {
            throw new TreeOperationException(string.Join(" ", errors));
        }

        return new ThoughtTreeSession(settings, new ThoughtTree(problem.Task, problem.Constraints, problem.Task));
    }

    public static ThoughtTreeSession Restore(ThoughtTreeSessionState state) =>
        new(state.Settings, ThoughtTree.FromSnapshot(state.Tree));

    public ThoughtTreeSessionState ToState() => new(Settings, tree.ToSnapshot());

    public ThoughtTreeSnapshot Snapshot() => tree.ToSnapshot();

    public ThoughtNode GetNode(int nodeId) => Existing(nodeId);

    /// <summary>Adds thoughts as children of <paramref name="parentId"/>; the parent becomes expanded.</summary>
    public IReadOnlyList<ThoughtNode> AddThoughts(int parentId, IReadOnlyList<string> thoughts)
    {
        var parent = Existing(parentId);
        if (thoughts.Count is 0 or > EngineLimits.MaxCandidatesPerNode)
        {
            throw new TreeOperationException($"thoughts must hold between 1 and {EngineLimits.MaxCandidatesPerNode} entries (got {thoughts.Count}).");
        }

        if (thoughts.FirstOrDefault(t => string.IsNullOrWhiteSpace(t) || t.Length > EngineLimits.MaxTextLength) is { } bad)
        {
            throw new TreeOperationException($"Each thought must be non-empty and at most {EngineLimits.MaxTextLength} characters (got {bad.Length}).");
        }

        if (parent.Status is NodeStatus.Pruned or NodeStatus.DeadEnd or NodeStatus.Solution)
        {
            throw new TreeOperationException($"Node {parentId} is {EngineMetrics.TagValue(parent.Status)} and cannot be expanded.");
        }

        if (parent.Depth >= Settings.MaxDepth)
        {
            throw new TreeOperationException($"Node {parentId} is at the depth limit ({Settings.MaxDepth}); thoughts may be added only to nodes above it.");
        }

        if (tree.Count - 1 + thoughts.Count > Settings.MaxNodes)
        {
            throw new TreeOperationException($"The tree may hold at most {Settings.MaxNodes} nodes; it has {tree.Count - 1}, so at most {Settings.MaxNodes - (tree.Count - 1)} more thoughts fit.");
        }

        var added = thoughts.Select(t => tree.AddChild(parentId, t, t, null, isFinal: false)).ToList();
        tree.SetStatus(parentId, NodeStatus.Expanded);
        return added;
    }

    /// <summary>Records a value judgement on the 0..1 scale.</summary>
    public ThoughtNode Score(int nodeId, double score, string? rationale = null)
    {
        var node = NonRoot(nodeId);
        if (!(score >= 0 && score <= 1))
        {
            throw new TreeOperationException($"score must be between 0 and 1 (got {score}).");
        }

        if (rationale?.Length > EngineLimits.MaxTextLength)
        {
            throw new TreeOperationException($"rationale must be at most {EngineLimits.MaxTextLength} characters (got {rationale.Length}).");
        }

        return tree.SetScore(node.Id, score, rationale);
    }

    public ThoughtNode MarkSolution(int nodeId) => tree.SetStatus(NonRoot(nodeId).Id, NodeStatus.Solution);

    public ThoughtNode MarkDeadEnd(int nodeId) => tree.SetStatus(NonRoot(nodeId).Id, NodeStatus.DeadEnd);

    public IReadOnlyList<ThoughtNode> BestPath() => tree.BestPath();

    /// <summary>Asks the strategy for the next node to expand, pruning as the strategy dictates.</summary>
    public NextNodeDecision SelectNext()
    {
        var unscored = tree.Nodes.Where(n => n.ParentId is not null && n.Score is null && n.Status == NodeStatus.Open).Select(n => n.Id).ToList();
        if (unscored.Count > 0)
        {
            return new NextNodeDecision(null, null, $"Score nodes {string.Join(", ", unscored)} before asking which node to expand next.", [], unscored);
        }

        if (tree.Nodes.Any(n => n.Status == NodeStatus.Solution))
        {
            return new NextNodeDecision(null, StopReason.SolutionFound, "A solution is marked; read the best path.", [], []);
        }

        if (tree.Count - 1 >= Settings.MaxNodes)
        {
            return new NextNodeDecision(null, StopReason.MaxNodes, $"The tree holds the maximum of {Settings.MaxNodes} nodes.", [], []);
        }

        if (tree.Nodes.Count(n => n.Status is NodeStatus.Expanded or NodeStatus.DeadEnd) >= Settings.MaxIterations)
        {
            return new NextNodeDecision(null, StopReason.MaxIterations, $"The tree has had the maximum of {Settings.MaxIterations} expansions.", [], []);
        }

        var before = tree.Nodes.Where(n => n.Status == NodeStatus.Pruned).Select(n => n.Id).ToHashSet();
        var frontier = Frontier.Create(tree, Settings);
        frontier.Add(tree.Nodes.Select(n => n.Id));
        var found = frontier.TryTakeNext(out var nodeId);
        var pruned = tree.Nodes.Where(n => n.Status == NodeStatus.Pruned && !before.Contains(n.Id)).Select(n => n.Id).ToList();
        if (found)
        {
            return new NextNodeDecision(tree[nodeId], null, $"Expand node {nodeId}: add candidate thoughts under it, then score them.", pruned, []);
        }

        return frontier.DepthLimitReached
            ? new NextNodeDecision(null, StopReason.MaxDepth, $"Only leaves at the depth limit ({Settings.MaxDepth}) remain; read the best path.", pruned, [])
            : new NextNodeDecision(null, StopReason.FrontierExhausted, "No open node remains to expand; read the best path.", pruned, []);
    }

    public string RenderMermaid() => MermaidRenderer.Render(tree.ToSnapshot());

    public string RenderJson() => EngineJson.Serialize(tree.ToSnapshot());

    private ThoughtNode Existing(int nodeId) => tree.Contains(nodeId)
        ? tree[nodeId]
        : throw new TreeOperationException($"Node {nodeId} does not exist; valid node ids are 0..{tree.Count - 1}.");

    private ThoughtNode NonRoot(int nodeId) => Existing(nodeId) is { ParentId: not null } node
        ? node
        : throw new TreeOperationException("The root node (0) holds the task; it cannot be scored or marked.");
}
