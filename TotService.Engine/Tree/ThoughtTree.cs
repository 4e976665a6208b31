namespace TotService.Engine.Tree;

/// <summary>
/// The mutable working copy of a thought tree. Not thread-safe: one search (or one tree request)
/// owns it at a time; persisted and shared as a <see cref="ThoughtTreeSnapshot"/>.
/// </summary>
public sealed class ThoughtTree
{
    private readonly List<ThoughtNode> nodes = [];
    private readonly List<List<int>> children = [];

    public ThoughtTree(string task, string? constraints, string rootState)
    {
        Task = task;
        Constraints = constraints;
        Append(new ThoughtNode(0, null, 0, task, rootState, StateKeys.Normalize(rootState), IsFinal: false));
    }

    public string Task { get; }

    public string? Constraints { get; }

    public int Count => nodes.Count;

    public ThoughtNode Root => nodes[0];

    public IReadOnlyList<ThoughtNode> Nodes => nodes;

    public ThoughtNode this[int id] => Contains(id)
        ? nodes[id]
        : throw new KeyNotFoundException($"Node {id} does not exist; valid ids are 0..{nodes.Count - 1}.");

    public bool Contains(int id) => id >= 0 && id < nodes.Count;

    public IReadOnlyList<int> ChildrenOf(int id) => children[this[id].Id];

    public ThoughtNode AddChild(int parentId, string thought, string state, string? stateKey, bool isFinal)
    {
        var parent = this[parentId];
        var node = new ThoughtNode(nodes.Count, parent.Id, parent.Depth + 1, thought, state, stateKey ?? StateKeys.Normalize(state), isFinal);
        Append(node);
        children[parent.Id].Add(node.Id);
        return node;
    }

    public ThoughtNode SetScore(int id, double score, string? rationale) =>
        Replace(this[id] with { Score = Math.Clamp(score, 0, 1), Rationale = rationale });

    public ThoughtNode SetStatus(int id, NodeStatus status) => Replace(this[id] with { Status = status });

    /// <summary>Nodes from the root down to <paramref name="id"/>, root first.</summary>
    public IReadOnlyList<ThoughtNode> PathTo(int id)
    {
        var path = new List<ThoughtNode>();
        for (int? current = this[id].Id; current is int c; current = nodes[c].ParentId)
        {
            path.Add(nodes[c]);
        }

        path.Reverse();
        return path;
    }

    /// <summary>
    /// The most promising node anywhere in the tree, leaves at the depth limit included:
    /// solutions first, then score, then complete answers, then the deepest, then the oldest.
    /// Null while nothing has been scored or marked a solution.
    /// </summary>
    public ThoughtNode? BestNode() => nodes
        .Where(n => n.Status == NodeStatus.Solution || (n.Score is not null && n.Status != NodeStatus.DeadEnd))
        .OrderByDescending(n => n.Status == NodeStatus.Solution)
        .ThenByDescending(n => n.Score)
        .ThenByDescending(n => n.IsFinal)
        .ThenByDescending(n => n.Depth)
        .ThenBy(n => n.Id)
        .FirstOrDefault();

    public IReadOnlyList<ThoughtNode> BestPath() => BestNode() is { } best ? PathTo(best.Id) : [];

    public ThoughtTreeSnapshot ToSnapshot() => new(Task, Constraints, nodes.ToArray());

    /// <summary>Rebuilds a tree, checking the invariants a hand-edited or corrupted snapshot could break.</summary>
    public static ThoughtTree FromSnapshot(ThoughtTreeSnapshot snapshot)
    {
        if (snapshot.Nodes.Count == 0 || snapshot.Nodes[0] is not { Id: 0, ParentId: null, Depth: 0 })
        {
            throw new InvalidDataException("A tree snapshot must start with the root node (id 0, no parent, depth 0).");
        }

        var tree = new ThoughtTree(snapshot.Task, snapshot.Constraints, snapshot.Nodes[0].State);
        tree.nodes[0] = snapshot.Nodes[0];
        foreach (var node in snapshot.Nodes.Skip(1))
        {
            if (node.Id != tree.Count || node.ParentId is not int parentId || parentId >= node.Id
                || node.Depth != tree.nodes[parentId].Depth + 1)
            {
                throw new InvalidDataException($"Tree snapshot node {node.Id} is inconsistent with its position or parent.");
            }

            tree.Append(node);
            tree.children[parentId].Add(node.Id);
        }

        return tree;
    }

    private void Append(ThoughtNode node)
    {
        nodes.Add(node);
        children.Add([]);
    }

    private ThoughtNode Replace(ThoughtNode node)
    {
        nodes[node.Id] = node;
        return node;
    }
}
