using TotService.Engine.Tree;

namespace TotService.Engine.Search.Frontiers;

/// <summary>
/// Level-synchronous beam: when the current level is used up, the shallowest waiting level is cut to the
/// <see cref="SearchSettings.Breadth"/> best DISTINCT states (by state key); the rest are pruned. The level is ranked by
/// score, equal scores by age (lower id first: the order the candidates were proposed in), so of two duplicates the one
/// worth more is kept, and the cut is the same on every run.
/// </summary>
internal sealed class BeamFrontier(ThoughtTree tree, SearchSettings settings) : Frontier(tree, settings)
{
    private readonly Queue<int> currentLevel = new();
    private readonly List<ThoughtNode> waiting = [];

    public override bool TryTakeNext(out int nodeId)
    {
        if (currentLevel.Count == 0 && waiting.Count > 0)
        {
            PromoteShallowestLevel();
        }

        return currentLevel.TryDequeue(out nodeId);
    }

    /// <summary>The rest of the current level (at most <paramref name="max"/> nodes): its nodes do not depend on each other.</summary>
    public override bool TryTakeBatch(int max, out IReadOnlyList<int> nodeIds)
    {
        var batch = new List<int>();
        while (batch.Count < max && (currentLevel.Count > 0 || batch.Count == 0) && TryTakeNext(out var nodeId))
        {
            batch.Add(nodeId);
        }
        nodeIds = batch;
        return batch.Count > 0;
    }

    protected override void AddAdmitted(IReadOnlyList<ThoughtNode> nodes) => waiting.AddRange(nodes);

    private void PromoteShallowestLevel()
    {
        var depth = waiting.Min(n => n.Depth);
        var level = waiting.Where(n => n.Depth == depth)
            .OrderByDescending(ScoreOf)
            .ThenBy(n => n.Id)
            .ToList();
        waiting.RemoveAll(n => n.Depth == depth);

        var keptStates = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in level)
        {
            if (currentLevel.Count < Settings.Breadth && keptStates.Add(node.StateKey))
            {
                currentLevel.Enqueue(node.Id);
            }
            else
            {
                Prune(node);
            }
        }
    }
}
