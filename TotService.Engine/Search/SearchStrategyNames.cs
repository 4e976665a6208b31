namespace TotService.Engine.Search;

/// <summary>Maps the names clients type ("beam", "best-first", "dfs", ...) to strategies.</summary>
public static class SearchStrategyNames
{
    public const string Allowed = "beam (alias bfs), best-first (alias best_first), dfs (alias depth-first), mcts (alias monte-carlo)";

    public static bool TryParse(string? name, out SearchStrategy strategy)
    {
        strategy = name?.Trim().ToLowerInvariant() switch
        {
            "beam" or "bfs" => SearchStrategy.Beam,
            "best-first" or "best_first" or "bestfirst" => SearchStrategy.BestFirst,
            "dfs" or "depth-first" or "depth_first" or "depthfirst" => SearchStrategy.DepthFirst,
            "mcts" or "monte-carlo" or "monte_carlo" => SearchStrategy.Mcts,
            _ => (SearchStrategy)(-1),
        };
        return Enum.IsDefined(strategy);
    }

    public static string ToName(SearchStrategy strategy) => strategy switch
    {
        SearchStrategy.Beam => "beam",
        SearchStrategy.BestFirst => "best-first",
        SearchStrategy.DepthFirst => "dfs",
        SearchStrategy.Mcts => "mcts",
        _ => throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null),
    };
}
