using TotService.Engine.Search;
using TotService.Engine.Tree;

namespace TotService.Engine.Sessions;

/// <summary>
/// The strategy's answer to "which node should I expand next?".
/// </summary>
/// <param name="Node">The node to expand, or null when there is none (see <paramref name="StopReason"/> and <paramref name="Message"/>).</param>
/// <param name="StopReason">Why the search is over; null while it can continue (a node was chosen, or nodes await scores).</param>
/// <param name="Message">A sentence for the client saying what to do next.</param>
/// <param name="PrunedNodeIds">Nodes the strategy pruned while deciding (beam cut, frontier eviction, threshold, duplicates).</param>
/// <param name="UnscoredNodeIds">Open nodes that must be scored before the strategy can choose.</param>
public sealed record NextNodeDecision(
    ThoughtNode? Node,
    StopReason? StopReason,
    string Message,
    IReadOnlyList<int> PrunedNodeIds,
    IReadOnlyList<int> UnscoredNodeIds);
