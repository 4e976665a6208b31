using Microsoft.Extensions.AI;

namespace TotService.Tests.Engine.Support;

/// <summary>
/// A chat model with canned replies keyed by the last step in the prompt (or "(none yet)" at the root).
/// Thread-safe, since the engine values siblings concurrently.
/// </summary>
internal sealed class ScriptedChatClient : IChatClient
{
    private readonly Lock gate = new();
    private int inFlight;

    public Dictionary<string, string> Proposals { get; } = [];

    public Dictionary<string, string> Values { get; } = [];

    public string FinalAnswer { get; set; } = "";

    public List<string> Prompts { get; } = [];

    /// <summary>When set, every reply waits this long, so concurrent calls overlap.</summary>
    public TimeSpan? Latency { get; set; }

    /// <summary>When set, every request throws it (a client whose model or sampling handler fails).</summary>
    public Exception? Failure { get; set; }

    public int MaxInFlight { get; private set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.Last().Text;
        lock (gate)
        {
            Prompts.Add(prompt);
            MaxInFlight = Math.Max(MaxInFlight, ++inFlight);
        }

        try
        {
            if (Failure is { } failure)
            {
                throw failure;
            }
            if (Latency is { } latency)
            {
                await Task.Delay(latency, cancellationToken);
            }

            return Reply(prompt);
        }
        finally
        {
            lock (gate)
            {
                inFlight--;
            }
        }
    }

    private ChatResponse Reply(string prompt)
    {

        var lastStep = LastStep(prompt);
        var reply = prompt.Contains("Propose", StringComparison.Ordinal) ? Proposals.GetValueOrDefault(lastStep, "")
            : prompt.Contains("Judge", StringComparison.Ordinal) ? Values.GetValueOrDefault(lastStep, "")
            : FinalAnswer;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, reply));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The engine does not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    /// <summary>The text of the last numbered line under "Steps so far:".</summary>
    private static string LastStep(string prompt)
    {
        var lines = prompt.Split('\n').Select(l => l.Trim()).ToList();
        var steps = lines.SkipWhile(l => l != "Steps so far:").Skip(1).TakeWhile(l => l.Length > 0).ToList();
        var last = steps[^1];
        var dot = last.IndexOf(". ", StringComparison.Ordinal);
        return last == "(none yet)" || dot < 0 ? last : last[(dot + 2)..];
    }
}
