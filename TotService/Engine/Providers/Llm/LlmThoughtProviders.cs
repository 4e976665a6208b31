using Microsoft.Extensions.AI;
using TotService.Engine.Diagnostics;

namespace TotService.Engine.Providers.Llm;

/// <summary>Builds the model-backed providers for ONE run (they share that run's usage counters).</summary>
public static class LlmThoughtProviders
{
    public const int DefaultMaxConcurrentCalls = 4;

    /// <param name="chatClient">The client's model via MCP sampling, or the configured endpoint.</param>
    /// <param name="name">Provider name for metrics and results, e.g. "sampling" or "endpoint".</param>
    /// <param name="maxConcurrentCalls">Model calls the run may have in flight at once (sibling evaluations run in parallel).</param>
    public static ThoughtProviders Create(IChatClient chatClient, string name, EngineMetrics metrics, int maxConcurrentCalls = DefaultMaxConcurrentCalls)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentCalls, 1);
        var usage = new ProviderUsage();
        var caller = new LlmCaller(chatClient, name, usage, metrics, maxConcurrentCalls);
        return new ThoughtProviders(name, new LlmThoughtGenerator(caller), new LlmStateEvaluator(caller), new LlmAnswerFinalizer(caller))
        {
            Usage = usage,
        };
    }
}
