namespace TotService.Engine;

/// <summary>
/// Hard upper bounds on every request, so one caller cannot monopolise a replica.
/// Tool descriptions and validation messages quote these numbers.
/// </summary>
public static class EngineLimits
{
    public const int MaxDepth = 10;
    public const int MaxBreadth = 10;
    public const int MaxCandidatesPerNode = 10;
    public const int MaxNodes = 2000;
    public const int MaxFrontier = 2000;
    public const int MaxTimeBudgetSeconds = 600;
    public const int MaxTextLength = 10_000;
    public const int MaxIterations = 2000;
    public const double MaxExplorationConstant = 10;
}
