using Microsoft.Extensions.AI;
using TotService.Engine.Diagnostics;

namespace TotService.Engine.Providers.Llm;

/// <summary>
/// Sends one prompt and counts it (per run and in metrics), together with tokens and malformed replies. Bounds the
/// run's concurrent calls, because sibling evaluations run in parallel and a client answering sampling
/// requests (or a rate-limited endpoint) should not receive them all at once.
/// </summary>
internal sealed class LlmCaller(IChatClient chatClient, string providerName, ProviderUsage usage, EngineMetrics metrics, int maxConcurrentCalls)
{
    // Never disposed on purpose: SemaphoreSlim only needs disposal once its wait handle is used, which WaitAsync does not.
    private readonly SemaphoreSlim concurrency = new(maxConcurrentCalls, maxConcurrentCalls);

    /// <summary>
    /// The reply's text. A reply cut off by the token limit counts as malformed and loses its unfinished last line.
    /// </summary>
    /// <exception cref="ModelCallException">The model or endpoint failed, with a message saying how.</exception>
    public async Task<string> AskAsync(string operation, IReadOnlyList<ChatMessage> prompt, ChatOptions options, CancellationToken cancellationToken)
    {
        await concurrency.WaitAsync(cancellationToken);
        ChatResponse response;
        try
        {
            usage.RecordModelCall();
            metrics.LlmCall(providerName, operation);
            response = await chatClient.GetResponseAsync(prompt, options, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException ex)
        {
            throw new ModelCallException($"The model did not answer the {operation} request in time ({providerName}).", ex);
        }
        catch (Exception ex) when (ex is not ModelCallException)
        {
            throw new ModelCallException($"The model's {operation} request failed ({providerName}): {ex.Message}", ex);
        }
        finally
        {
            concurrency.Release();
        }

        usage.RecordTokens(response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
        var text = response.Text ?? "";
        if (response.FinishReason == ChatFinishReason.Length)
        {
            RecordMalformed(operation);
            var lastBreak = text.LastIndexOf('\n');
            return lastBreak < 0 ? "" : text[..lastBreak];
        }

        return text;
    }

    public void RecordMalformed(string operation, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            usage.RecordMalformedOutput();
            metrics.LlmMalformedOutput(providerName, operation);
        }
    }
}
