using TotService.Engine.Domains.Game24;
using TotService.Engine.Search;

namespace TotService.Engine.Domains;

/// <summary>The task domains a request may name, and which of them have a built-in solver.</summary>
public static class ThoughtDomains
{
    /// <summary>Free-form tasks: only a language model can think about them.</summary>
    public const string General = "general";

    public const string Game24 = Game24Providers.Name;

    public static IReadOnlyList<string> All { get; } = [General, Game24];

    public static bool IsKnown(string? domain) => All.Contains(domain?.Trim().ToLowerInvariant());

    public static bool HasSolver(string domain) => string.Equals(domain.Trim(), Game24, StringComparison.OrdinalIgnoreCase);

    /// <summary>Domain-specific checks on the task; empty when valid (or the domain has no rules).</summary>
    public static IReadOnlyList<string> ValidateTask(string domain, ThoughtProblem problem) =>
        HasSolver(domain) && !Game24Puzzle.TryParse(problem.Task, out _, out var error) ? [error] : [];
}
