namespace TotService.Engine.Providers.Llm;

/// <summary>Counts retried endpoint requests (thread-safe).</summary>
public sealed class EndpointRetries
{
    private int count;

    public int Count => Volatile.Read(ref count);

    internal void Record() => Interlocked.Increment(ref count);
}
