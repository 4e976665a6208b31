namespace TotService.Engine.Providers;

/// <summary>Per-run counters a provider updates (thread-safe: evaluations may run concurrently).</summary>
public sealed class ProviderUsage
{
    private int modelCalls;
    private int malformedOutputs;
    private long promptTokens;
    private long completionTokens;

    public int ModelCalls => Volatile.Read(ref modelCalls);

    public int MalformedOutputs => Volatile.Read(ref malformedOutputs);

    public long PromptTokens => Interlocked.Read(ref promptTokens);

    public long CompletionTokens => Interlocked.Read(ref completionTokens);

    public void RecordModelCall() => Interlocked.Increment(ref modelCalls);

    public void RecordMalformedOutput() => Interlocked.Increment(ref malformedOutputs);

    /// <summary>Token counts as the model reported them (sampling clients usually report none).</summary>
    public void RecordTokens(long prompt, long completion)
    {
        Interlocked.Add(ref promptTokens, prompt);
        Interlocked.Add(ref completionTokens, completion);
    }

    public ProviderUsageSnapshot ToSnapshot() => new(ModelCalls, MalformedOutputs, PromptTokens, CompletionTokens);
}
