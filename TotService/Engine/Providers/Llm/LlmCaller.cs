using Microsoft.Extensions.AI;
using TotService.Engine.Diagnostics;

namespace TotService.Engine.Providers.Llm;

/// <summary>Sends one prompt and counts it (per run and in metrics), together with malformed replies.</summary>
internal sealed class LlmCaller(IChatClient chatClient, string providerName, ProviderUsage usage, EngineMetrics metrics)
{
    public async Task<string> AskAsync(string operation, IReadOnlyList<ChatMessage> prompt, ChatOptions options, CancellationToken cancellationToken)
    {
        usage.RecordModelCall();
        metrics.LlmCall(providerName, operation);
        var response = await chatClient.GetResponseAsync(prompt, options, cancellationToken);
        return response.Text ?? "";
    }

    public void RecordMalformed(string operation)
    {
        usage.RecordMalformedOutput();
        metrics.LlmMalformedOutput(providerName, operation);
    }
}
