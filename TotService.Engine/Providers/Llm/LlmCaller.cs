using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using TotService.Engine.Diagnostics;

namespace TotService.Engine.Providers.Llm;

/// <summary>
/// Sends one prompt and counts it (per run and in metrics), together with tokens and malformed replies. Bounds the
/// run's concurrent calls, because sibling evaluations run in parallel and a client answering sampling
/// requests (or a rate-limited endpoint) should not receive them all at once. A failed call becomes a
/// <see cref="ModelCallException"/> whose message is ours (it reaches the client in the run's error); what the model
/// client threw goes to the log once, at Warning, without a stack: a client refusing a sampling request or an endpoint
/// answering 429 is expected, not a server fault.
/// </summary>
internal sealed partial class LlmCaller(IChatClient chatClient, string providerName, ProviderUsage usage, EngineMetrics metrics, int maxConcurrentCalls, ILogger? logger = null)
{
    private readonly ILogger logger = logger ?? NullLogger.Instance;

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
        catch (Exception ex) when (ex is not ModelCallException)
        {
            // After its last retry the endpoint client throws every attempt's exception together: judge by the last one.
            var cause = ex is AggregateException { InnerExceptions: [.., var last] } ? last : ex;
            if (cause is OperationCanceledException or TimeoutException)
            {
                throw new ModelCallException($"The model did not answer the {operation} request in time ({providerName}).", ex);
            }
            LogModelCallFailed(logger, operation, providerName, cause.GetType().Name, cause.Message);
            throw new ModelCallException($"The model's {operation} request failed ({providerName}){Reason(cause)}; the server log has the detail.", ex);
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

    /// <summary>What can be said to the client about a failure without quoting another component's message.</summary>
    private static string Reason(Exception ex) => ex switch
    {
        System.ClientModel.ClientResultException { Status: > 0 } result => $": the endpoint answered HTTP {result.Status}",
        HttpRequestException { StatusCode: { } status } => $": the endpoint answered HTTP {(int)status}",
        HttpRequestException => ": the endpoint could not be reached",
        JsonException or FormatException => ": the reply could not be read",
        _ => "",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {Operation} request failed ({Provider}): {ExceptionType}: {Detail}")]
    private static partial void LogModelCallFailed(ILogger logger, string operation, string provider, string exceptionType, string detail);

    public void RecordMalformed(string operation, int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            usage.RecordMalformedOutput();
            metrics.LlmMalformedOutput(providerName, operation);
        }
    }
}
