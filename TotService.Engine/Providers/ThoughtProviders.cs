namespace TotService.Engine.Providers;

/// <summary>
/// Everything a search needs from a domain or model, plus its name for metrics ("game24", "sampling", "endpoint").
/// Create one per run when the providers hold per-run <see cref="Usage"/> counters (the LLM ones do).
/// </summary>
public sealed record ThoughtProviders(
    string Name,
    IThoughtGenerator Generator,
    IStateEvaluator Evaluator,
    IAnswerFinalizer Finalizer)
{
    public ProviderUsage Usage { get; init; } = new();

    /// <summary>
    /// Expand a beam level's nodes together (all proposals at once, then all their evaluations) instead of one node at
    /// a time: for a model reached in round trips (a client's model over MCP's multi round-trip requests), where each
    /// batch of concurrent requests costs one round trip. Other strategies choose one node at a time by design.
    /// </summary>
    public bool ExpandsLevelsTogether { get; init; }
}
