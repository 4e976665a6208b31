using TotService.Engine.Tree;

namespace TotService.Engine.Search.Frontiers;

/// <summary>
/// A stack: the best child of the latest expansion is explored first, and when a branch runs out the
/// search backtracks to the next sibling up the path. Children below <see cref="SearchSettings.PruneThreshold"/>
/// are pruned; of two nodes with the same state only the one worth more stays (see <see cref="Frontier.ClaimState"/>).
/// Siblings with equal scores are explored oldest (lowest id) first.
/// </summary>
internal sealed class DepthFirstFrontier(ThoughtTree tree, SearchSettings settings) : Frontier(tree, settings)
{
    private readonly Stack<int> stack = new();
    public override bool TryTakeNext(out int nodeId)
    {
        // A node displaced by a better duplicate after it was pushed stays on the stack, pruned: skip it.
        while (stack.TryPop(out nodeId))
        {
            if (Tree[nodeId].Status != NodeStatus.Pruned)
            {
                return true;
            }
        }

        return false;
    }

    protected override void AddAdmitted(IReadOnlyList<ThoughtNode> nodes)
    {
        var kept = new List<ThoughtNode>();
        foreach (var node in nodes)
        {
            if (node.ParentId is not null && ScoreOf(node) < Settings.PruneThreshold)
            {
                Prune(node);
            }
            else if (ClaimState(node, out _))
            {
                kept.Add(node);
            }
        }

        // Pushed worst first so the best pops first; on a rebuild, deeper nodes pop before shallower ones.
        foreach (var node in kept.OrderBy(n => n.Depth).ThenBy(ScoreOf).ThenByDescending(n => n.Id))
        {
            stack.Push(node.Id);
        }
    }
}
