using TotService.Engine.Tree;

namespace TotService.Engine.Search.Frontiers;

/// <summary>
/// A priority queue on score holding at most <see cref="SearchSettings.MaxFrontier"/> nodes: beyond that the
/// worst is evicted (pruned), so memory stays bounded and the search does not degrade into plain BFS.
/// Of two nodes with the same state only the one worth more stays (see <see cref="Frontier.ClaimState"/>).
/// Ties between equal scores go to the deeper node, then the older (lower id).
/// </summary>
internal sealed class BestFirstFrontier(ThoughtTree tree, SearchSettings settings) : Frontier(tree, settings)
{
    // Best first: higher score, then deeper (closer to an answer), then older.
    private readonly SortedSet<ThoughtNode> queue = new(Comparer<ThoughtNode>.Create((a, b) =>
        ScoreOf(b).CompareTo(ScoreOf(a)) is not 0 and var byScore ? byScore
        : b.Depth.CompareTo(a.Depth) is not 0 and var byDepth ? byDepth
        : a.Id.CompareTo(b.Id)));

    public override bool TryTakeNext(out int nodeId)
    {
        nodeId = -1;
        if (queue.Min is not { } best)
        {
            return false;
        }

        queue.Remove(best);
        nodeId = best.Id;
        return true;
    }

    protected override void AddAdmitted(IReadOnlyList<ThoughtNode> nodes)
    {
        foreach (var node in nodes)
        {
            if (!ClaimState(node, out var displaced))
            {
                continue;
            }

            if (displaced is not null)
            {
                queue.Remove(displaced);
            }

            queue.Add(node);
            if (queue.Count > Settings.MaxFrontier && queue.Max is { } worst)
            {
                queue.Remove(worst);
                Prune(worst);
            }
        }
    }
}
