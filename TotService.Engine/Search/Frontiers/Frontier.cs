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

    protected abstract void AddAdmitted(IReadOnlyList<ThoughtNode> nodes);

    protected void Prune(ThoughtNode node) => tree.SetStatus(node.Id, NodeStatus.Pruned);

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
