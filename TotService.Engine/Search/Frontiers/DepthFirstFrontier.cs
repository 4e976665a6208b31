using TotService.Engine.Tree;

namespace TotService.Engine.Search.Frontiers;

/// <summary>
/// A stack: the best child of the latest expansion is explored first, and when a branch runs out the
/// search backtracks to the next sibling up the path. Children below <see cref="SearchSettings.PruneThreshold"/>
/// and states already seen are pruned.
/// </summary>
internal sealed class DepthFirstFrontier(ThoughtTree tree, SearchSettings settings) : Frontier(tree, settings)
{
    private readonly Stack<int> stack = new();
    private readonly HashSet<string> seenStates = new(StringComparer.Ordinal);

    public override bool TryTakeNext(out int nodeId) => stack.TryPop(out nodeId);

    protected override void AddAdmitted(IReadOnlyList<ThoughtNode> nodes)
    {
        var kept = new List<ThoughtNode>();
        foreach (var node in nodes)
        {
            if ((node.ParentId is not null && ScoreOf(node) < Settings.PruneThreshold) || !seenStates.Add(node.StateKey))
            {
                Prune(node);
            }
            else
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
