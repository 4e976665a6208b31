using Microsoft.Extensions.AI;

namespace Bench.Accuracy;

/// <summary>Caps the benchmark's requests in flight across all puzzles and methods.</summary>
internal sealed class ConcurrencyLimiter(IChatClient inner, int limit) : DelegatingChatClient(inner)
{
    private readonly SemaphoreSlim slots = new(limit, limit);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await slots.WaitAsync(cancellationToken);
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        finally
        {
            slots.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            slots.Dispose();
        }

        base.Dispose(disposing);
    }
}
