using System.Globalization;

namespace TotService.Engine.Search;

/// <summary>
/// Strategy and limits of one search (server-driven run or client-driven tree).
/// Scores are on a 0..1 scale everywhere.
/// </summary>
public sealed record SearchSettings
{
    public SearchStrategy Strategy { get; init; } = SearchStrategy.Beam;

    /// <summary>Beam: distinct nodes kept per level. 1..<see cref="EngineLimits.MaxBreadth"/>.</summary>
    public int Breadth { get; init; } = 5;

    /// <summary>How many candidates to ask a sampled generator for per expansion (deterministic domains enumerate all legal steps).</summary>
    public int CandidatesPerNode { get; init; } = 5;

    /// <summary>Nodes at this depth are leaves: scored, eligible as best, never expanded.</summary>
    public int MaxDepth { get; init; } = 4;

    /// <summary>Upper bound on nodes in the tree, root excluded.</summary>
    public int MaxNodes { get; init; } = 500;

    /// <summary>Best-first: open nodes kept in the frontier; the worst are evicted (pruned) beyond this.</summary>
    public int MaxFrontier { get; init; } = 100;

    /// <summary>Depth-first: children scoring below this are pruned instead of explored.</summary>
    public double PruneThreshold { get; init; } = 0.3;

    /// <summary>A final answer scoring at least this is a solution and stops the search.</summary>
    public double ScoreThreshold { get; init; } = 1.0;

    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>MCTS: weight of the exploration term in UCT (0 = greedy on mean value). 0..<see cref="EngineLimits.MaxExplorationConstant"/>.</summary>
    public double ExplorationConstant { get; init; } = 1.0;

    /// <summary>Expansions allowed (for MCTS: iterations of select, expand, simulate, backpropagate). 1..<see cref="EngineLimits.MaxIterations"/>.</summary>
    public int MaxIterations { get; init; } = EngineLimits.MaxIterations;

    /// <summary>Every rule broken, each as a message that says what is allowed; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enum.IsDefined(Strategy))
        {
            errors.Add($"strategy must be one of: {SearchStrategyNames.Allowed}.");
        }

        CheckRange(errors, "breadth", Breadth, 1, EngineLimits.MaxBreadth);
        CheckRange(errors, "candidatesPerNode", CandidatesPerNode, 1, EngineLimits.MaxCandidatesPerNode);
        CheckRange(errors, "maxDepth", MaxDepth, 1, EngineLimits.MaxDepth);
        CheckRange(errors, "maxNodes", MaxNodes, 1, EngineLimits.MaxNodes);
        CheckRange(errors, "maxFrontier", MaxFrontier, 1, EngineLimits.MaxFrontier);
        CheckScore(errors, "pruneThreshold", PruneThreshold);
        CheckScore(errors, "scoreThreshold", ScoreThreshold);
        CheckRange(errors, "maxIterations", MaxIterations, 1, EngineLimits.MaxIterations);
        if (!(ExplorationConstant >= 0 && ExplorationConstant <= EngineLimits.MaxExplorationConstant))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"explorationConstant must be between 0 and {EngineLimits.MaxExplorationConstant} (got {ExplorationConstant})."));
        }
        if (!(TimeBudget > TimeSpan.Zero && TimeBudget <= TimeSpan.FromSeconds(EngineLimits.MaxTimeBudgetSeconds)))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"timeBudgetSeconds must be greater than 0 and at most {EngineLimits.MaxTimeBudgetSeconds} (got {TimeBudget.TotalSeconds})."));
        }

        return errors;
    }

    private static void CheckRange(List<string> errors, string name, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{name} must be between {min} and {max} (got {value}).");
        }
    }

    private static void CheckScore(List<string> errors, string name, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be between 0 and 1 (got {value})."));
        }
    }
}
