namespace TotService.Engine.Search;

/// <summary>Reported after every expansion: enough for a status call or an MCP progress notification.</summary>
public sealed record SearchProgress(
    int NodesExpanded,
    int NodeCount,
    int MaxNodes,
    int DepthReached,
    double? BestScore,
    TimeSpan Elapsed);
