using Microsoft.Extensions.AI;
using TotService.Engine.Diagnostics;
using TotService.Engine.Domains;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Domains.Game24.Llm;

namespace TotService.Engine.Providers.Llm;

/// <summary>
/// Builds the model-backed providers for ONE run (they share that run's usage counters). The prompt set is chosen per
/// domain: a domain with its own prompts (game24: the paper's) gets them, every other domain the generic ones.
/// </summary>
public static class LlmThoughtProviders
{
    public const int DefaultMaxConcurrentCalls = 4;

    private static readonly Dictionary<string, Func<LlmCaller, (IThoughtGenerator, IStateEvaluator, IAnswerFinalizer)>> PromptSets =
        new(StringComparer.OrdinalIgnoreCase)
        {
            [ThoughtDomains.Game24] = caller => (new Game24ModelGenerator(caller), new Game24ModelEvaluator(caller), new Game24AnswerFinalizer()),
        };

    /// <param name="chatClient">The client's model via MCP sampling, or the configured endpoint.</param>
    /// <param name="name">Provider name for metrics and results, e.g. "sampling" or "endpoint".</param>
    /// <param name="maxConcurrentCalls">Model calls the run may have in flight at once (sibling evaluations run in parallel).</param>
    /// <param name="domain">Picks the prompt set; null or a domain without its own prompts gets the generic ones.</param>
    /// <param name="logger">Where failed model calls are logged.</param>
    public static ThoughtProviders Create(
        IChatClient chatClient, string name, EngineMetrics metrics, int maxConcurrentCalls = DefaultMaxConcurrentCalls, string? domain = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentCalls, 1);
        var usage = new ProviderUsage();
        var caller = new LlmCaller(chatClient, name, usage, metrics, maxConcurrentCalls, logger);
        var (generator, evaluator, finalizer) = domain is not null && PromptSets.TryGetValue(domain.Trim(), out var promptSet)
            ? promptSet(caller)
            : (new LlmThoughtGenerator(caller), new LlmStateEvaluator(caller), new LlmAnswerFinalizer(caller));
        return new ThoughtProviders(name, generator, evaluator, finalizer) { Usage = usage };
    }
}
