namespace TotService.Engine.Providers;

/// <summary>Per-run counters a provider updates (thread-safe: evaluations may run concurrently).</summary>
public sealed class ProviderUsage
{
    private int modelCalls;
    private int malformedOutputs;

    public int ModelCalls => Volatile.Read(ref modelCalls);

    public int MalformedOutputs => Volatile.Read(ref malformedOutputs);

    public void RecordModelCall() => Interlocked.Increment(ref modelCalls);

    public void RecordMalformedOutput() => Interlocked.Increment(ref malformedOutputs);

    public ProviderUsageSnapshot ToSnapshot() => new(ModelCalls, MalformedOutputs);
}
