using TotService.Engine.Tree;

namespace TotService.Engine.Search.Frontiers;

/// <summary>
/// Monte Carlo Tree Search over the thought tree. Each iteration selects from the root by UCT down to an unexpanded
/// node, which the search expands with the generator; the best new child's evaluator value is the simulation result
/// (as in Language Agent Tree Search), 0 for a dead end, and is backpropagated to the node and every ancestor. A node's
/// value is the mean of its own evaluation and everything backpropagated through it; UCT adds
/// c * sqrt(ln(N(parent) + 1) / (N(node) + 1)). The statistics follow from the tree alone, so a client-driven tree
/// rebuilt from its snapshot makes the same choice. Of two nodes with the same state only the one worth more stays
/// (see <see cref="Frontier.ClaimState"/>); equal UCT values go to the older child (lower id).
/// </summary>
internal sealed class MctsFrontier(ThoughtTree tree, SearchSettings settings) : Frontier(tree, settings)
{
    private readonly Dictionary<int, (int Visits, double Total)> statistics = [];
    private readonly HashSet<int> backpropagated = [];
    private readonly HashSet<int> expandable = [];

    /// <summary>Iterations backpropagated through the node.</summary>
    public int Visits(int nodeId) => statistics.GetValueOrDefault(nodeId).Visits;

    /// <summary>Mean of the node's own value and the simulation results backpropagated through it.</summary>
    public double MeanValue(int nodeId)
    {
        var (visits, total) = statistics.GetValueOrDefault(nodeId);
        return (ScoreOf(Tree[nodeId]) + total) / (visits + 1);
    }

    public double Uct(int parentId, int childId) =>
        MeanValue(childId) + (Settings.ExplorationConstant * Math.Sqrt(Math.Log(Visits(parentId) + 1) / (Visits(childId) + 1)));

    public override bool TryTakeNext(out int nodeId)
    {
        nodeId = -1;
        Backpropagate();
        if (expandable.Count == 0)
        {
            return false;
        }

        // Nodes on the way to something still expandable; every other branch is exhausted and never selected.
        var live = new HashSet<int>();
        foreach (var id in expandable)
        {
            for (int? current = id; current is int c && live.Add(c); current = Tree[c].ParentId)
            {
            }
        }

        var selected = Tree.Root.Id;
        while (!expandable.Contains(selected))
        {
            var parent = selected;
            selected = Tree.ChildrenOf(parent).Where(live.Contains)
                .OrderByDescending(child => Uct(parent, child))
                .ThenBy(child => child)
                .First();
        }

        expandable.Remove(selected);
        nodeId = selected;
        return true;
    }

    protected override void AddAdmitted(IReadOnlyList<ThoughtNode> nodes)
    {
        foreach (var node in nodes)
        {
            if (ClaimState(node, out var displaced))
            {
                expandable.Add(node.Id);
                if (displaced is not null)
                {
                    expandable.Remove(displaced.Id);
                }
            }
        }
    }

    /// <summary>Once per expansion: the best child's value (0 for a dead end) goes to the expanded node and its ancestors.</summary>
    private void Backpropagate()
    {
        foreach (var node in Tree.Nodes.Where(n => n.Status is NodeStatus.Expanded or NodeStatus.DeadEnd && backpropagated.Add(n.Id)))
        {
            var result = Tree.ChildrenOf(node.Id).Select(c => Tree[c].Score ?? 0).DefaultIfEmpty(0).Max();
            for (int? current = node.Id; current is int c; current = Tree[c].ParentId)
            {
                var (visits, total) = statistics.GetValueOrDefault(c);
                statistics[c] = (visits + 1, total + result);
            }
        }
    }
}
