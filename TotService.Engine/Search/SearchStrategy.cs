using System.Text.Json.Serialization;

namespace TotService.Engine.Search;

[JsonConverter(typeof(JsonStringEnumConverter<SearchStrategy>))]
public enum SearchStrategy
{
    /// <summary>Level by level, keeping the <c>breadth</c> best distinct states per level (BFS when breadth is large).</summary>
    Beam,

    /// <summary>Always expands the highest-scored open node; the frontier is bounded and the worst are evicted.</summary>
    BestFirst,

    /// <summary>Depth-first with backtracking; children scoring below the pruning threshold are pruned.</summary>
    DepthFirst,

    /// <summary>Monte Carlo Tree Search: UCT selection from the root, expansion by the generator, the evaluator's value as the simulation result, mean values backpropagated.</summary>
    Mcts,
}
