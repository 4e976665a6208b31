using Microsoft.Extensions.AI;
using TotService.Engine.Diagnostics;

namespace TotService.Engine.Providers.Llm;

/// <summary>
/// Sends one prompt and counts it (per run and in metrics), together with malformed replies. Bounds the
/// run's concurrent calls, because sibling evaluations run in parallel and a client answering sampling
/// requests (or a rate-limited endpoint) should not receive them all at once.
/// </summary>
internal sealed class LlmCaller(IChatClient chatClient, string providerName, ProviderUsage usage, EngineMetrics metrics, int maxConcurrentCalls)
{
    // Never disposed on purpose: SemaphoreSlim only needs disposal once its wait handle is used, which WaitAsync does not.
    private readonly SemaphoreSlim concurrency = new(maxConcurrentCalls, maxConcurrentCalls);

    public async Task<string> AskAsync(string operation, IReadOnlyList<ChatMessage> prompt, ChatOptions options, CancellationToken cancellationToken)
    {
        await concurrency.WaitAsync(cancellationToken);
        try
        {
            usage.RecordModelCall();
            metrics.LlmCall(providerName, operation);
            var response = await chatClient.GetResponseAsync(prompt, options, cancellationToken);
            return response.Text ?? "";
        }
        finally
        {
            concurrency.Release();
        }
    }

    public void RecordMalformed(string operation)
    {
        usage.RecordMalformedOutput();
        metrics.LlmMalformedOutput(providerName, operation);
    }
}
