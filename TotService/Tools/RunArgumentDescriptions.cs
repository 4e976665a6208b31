namespace TotService.Tools;

/// <summary>
/// Descriptions of the search arguments shared by <c>tot_start_run</c> and <c>tot_solve</c>. The SDK builds each tool's
/// input schema from its method signature, so both methods list the parameters; their wording lives here once.
/// </summary>
internal static class RunArgumentDescriptions
{
    public const string RunId = "The run id returned by tot_start_run (run_ + 32 hex digits).";

    public const string Task = "The problem to think about, at most 10000 characters. For game24: four numbers 1-13, e.g. \"4 9 10 13\".";

    public const string Constraints = "Optional constraints on the answer, at most 10000 characters.";

    public const string Domain = "Task domain: game24 (built-in exact solver) or general (needs a model: sampling or the configured endpoint).";

    public const string Strategy = "Search strategy: beam (alias bfs), best-first, dfs, or mcts (Monte Carlo Tree Search).";

    public const string ExplorationConstant = "MCTS: weight of exploration in UCT selection, 0-10 (0 = greedy on mean value).";

    public const string MaxIterations = "Expansions allowed (MCTS iterations), 1-2000.";

    public const string Breadth = "Beam: distinct nodes kept per level, 1-10.";

    public const string MaxDepth = "Depth limit, 1-10; nodes at this depth are leaves.";

    public const string MaxNodes = "Maximum nodes in the tree, 1-2000.";

    public const string TimeBudgetSeconds = "Time budget in seconds, greater than 0 and at most 600.";

    public const string ScoreThreshold = "A final answer scoring at least this (0-1) is a solution and stops the search.";

    public const string Provider = "Thought provider: auto (domain solver, else client sampling, else endpoint), domain, sampling or endpoint.";

    public const string CandidatesPerNode = "Candidates asked of a model per expansion, 1-10.";

    public const string PruneThreshold = "DFS: children scoring below this (0-1) are pruned.";

    public const string MaxFrontier = "Best-first: open nodes kept in the frontier, 1-2000.";
}
