using TotService.Engine.Tree;

namespace TotService.Engine.Search.Frontiers;

/// <summary>
/// The set of nodes waiting to be expanded, ordered by a strategy. It reads scores from the tree and
/// marks the nodes it drops as <see cref="NodeStatus.Pruned"/> there, so the tree always shows why a
/// branch was abandoned. A frontier can be rebuilt from a tree by adding every node again: that is how
/// client-driven trees, which persist only the tree, ask "what next?".
/// </summary>
internal abstract class Frontier(ThoughtTree tree, SearchSettings settings)
{
    // State key -> the node that holds it: nodes with the same key have the same future, so only one is searched.
    private readonly Dictionary<string, int> stateHolders = new(StringComparer.Ordinal);

    protected ThoughtTree Tree => tree;

    protected SearchSettings Settings => settings;

    /// <summary>True once an otherwise expandable node was held back because it sits at the depth limit.</summary>
    public bool DepthLimitReached { get; private set; }

    public static Frontier Create(ThoughtTree tree, SearchSettings settings) => settings.Strategy switch
    {
        SearchStrategy.Beam => new BeamFrontier(tree, settings),
        SearchStrategy.BestFirst => new BestFirstFrontier(tree, settings),
        SearchStrategy.DepthFirst => new DepthFirstFrontier(tree, settings),
        SearchStrategy.Mcts => new MctsFrontier(tree, settings),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Strategy, "Unknown search strategy."),
    };

    /// <summary>Offers nodes; only open, scored, non-final nodes above the depth limit are kept.</summary>
    public void Add(IEnumerable<int> nodeIds)
    {
        var admitted = nodeIds.Select(id => tree[id]).Where(Admit).ToList();
        if (admitted.Count > 0)
        {
            AddAdmitted(admitted);
        }
    }

    public abstract bool TryTakeNext(out int nodeId);

    /// <summary>Up to <paramref name="max"/> nodes to expand together; strategies that choose by the last expansion give one.</summary>
    public virtual bool TryTakeBatch(int max, out IReadOnlyList<int> nodeIds)
    {
        var taken = TryTakeNext(out var nodeId);
        nodeIds = taken ? [nodeId] : [];
        return taken;
    }

    protected abstract void AddAdmitted(IReadOnlyList<ThoughtNode> nodes);

    protected void Prune(ThoughtNode node) => tree.SetStatus(node.Id, NodeStatus.Pruned);

    /// <summary>
    /// Settles a node against the earlier node holding the same state key, so a duplicate worth more is never dropped
    /// for one worth less: the higher score holds the state and, on equal scores, the older node (the lower id). A holder
    /// already expanded keeps the state (its future has been searched); one pruned since (evicted or cut) gave it up.
    /// The loser is pruned. Returns false when <paramref name="node"/> lost; <paramref name="displaced"/> is the
    /// waiting holder it replaced, which the strategy must stop offering.
    /// </summary>
    protected bool ClaimState(ThoughtNode node, out ThoughtNode? displaced)
    {
        displaced = null;
        if (stateHolders.TryGetValue(node.StateKey, out var holderId) && tree[holderId] is { Status: not NodeStatus.Pruned } holder)
        {
            if (holder.Status != NodeStatus.Open || ScoreOf(holder) >= ScoreOf(node))
            {
                Prune(node);
                return false;
            }

            Prune(holder);
            displaced = holder;
        }

        stateHolders[node.StateKey] = node.Id;
        return true;
    }

    /// <summary>The root has no score; it sorts as 0 but is always alone when it matters.</summary>
    protected static double ScoreOf(ThoughtNode node) => node.Score ?? 0;

    private bool Admit(ThoughtNode node)
    {
        if (node.Status != NodeStatus.Open || node.IsFinal || (node.Score is null && node.ParentId is not null))
        {
            return false;
        }

        if (node.Depth >= settings.MaxDepth)
        {
            DepthLimitReached = true;
            return false;
        }

        return true;
    }
}
