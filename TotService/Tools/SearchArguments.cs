using System.Globalization;
using ModelContextProtocol;
using TotService.Engine;
using TotService.Engine.Domains;
using TotService.Engine.Search;

namespace TotService.Tools;

/// <summary>Turns raw tool arguments into a problem and settings, or one tool error listing every broken rule.</summary>
internal static class SearchArguments
{
    public const string Ranges =
        "Ranges: breadth 1-10, maxDepth 1-10, maxNodes 1-2000, maxFrontier 1-2000, maxIterations 1-2000, explorationConstant 0-10, candidatesPerNode 1-10, timeBudgetSeconds >0-600, scoreThreshold and pruneThreshold 0-1, task and constraints at most 10000 characters.";

    public static (ThoughtProblem Problem, SearchSettings Settings) Parse(
        List<string> errors,
        string? task,
        string? constraints,
        string? strategy,
        int breadth,
        int maxDepth,
        int maxNodes,
        int maxFrontier,
        int candidatesPerNode,
        double pruneThreshold,
        double scoreThreshold,
        double timeBudgetSeconds,
        double explorationConstant = 1.0,
        int maxIterations = EngineLimits.MaxIterations)
    {
        var problem = new ThoughtProblem(task ?? "", constraints);
        errors.AddRange(problem.Validate());

        if (!SearchStrategyNames.TryParse(strategy, out var parsedStrategy))
        {
            errors.Add($"Unknown strategy '{EchoedText.Clip(strategy)}'. Allowed: {SearchStrategyNames.Allowed}.");
            parsedStrategy = SearchStrategy.Beam;
        }

        // Checked here, before TimeSpan.FromSeconds can overflow on absurd values.
        var budgetOk = timeBudgetSeconds > 0 && timeBudgetSeconds <= EngineLimits.MaxTimeBudgetSeconds;
        if (!budgetOk)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture,
                $"timeBudgetSeconds must be greater than 0 and at most {EngineLimits.MaxTimeBudgetSeconds} (got {timeBudgetSeconds})."));
        }

        var settings = new SearchSettings
        {
            Strategy = parsedStrategy,
            Breadth = breadth,
            MaxDepth = maxDepth,
            MaxNodes = maxNodes,
            MaxFrontier = maxFrontier,
            CandidatesPerNode = candidatesPerNode,
            PruneThreshold = pruneThreshold,
            ScoreThreshold = scoreThreshold,
            TimeBudget = budgetOk ? TimeSpan.FromSeconds(timeBudgetSeconds) : TimeSpan.FromSeconds(1),
            ExplorationConstant = explorationConstant,
            MaxIterations = maxIterations,
        };
        errors.AddRange(settings.Validate());
        return (problem, settings);
    }

    /// <summary>The domain name in canonical form, or an error naming the allowed ones.</summary>
    public static string Domain(List<string> errors, string? domain)
    {
        if (ThoughtDomains.IsKnown(domain))
        {
            return domain!.Trim().ToLowerInvariant();
        }
        errors.Add($"Unknown domain '{EchoedText.Clip(domain)}'. Allowed: {string.Join(", ", ThoughtDomains.All)}.");
        return ThoughtDomains.General;
    }

    public static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new McpException("Invalid arguments: " + string.Join(" ", errors));
        }
    }
}
