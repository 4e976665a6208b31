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
}
