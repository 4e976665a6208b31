using System.Collections.Concurrent;
using System.Text.Json;
using EndToEnd.Tests.Infrastructure;
using ModelContextProtocol.Client;

namespace EndToEnd.Tests.ScaleOut;

/// <summary>
/// The client side of a load test through a <see cref="RoundRobinProxy"/>: every call is tagged (so its attempts can be
/// found in the proxy's log) and kept with how it ended. A failure is recorded, never thrown, so the load goes on.
/// </summary>
internal sealed class CallJournal(RoundRobinProxy proxy)
{
    /// <summary>A call that has not answered by then is recorded as failed (the SDK client would otherwise wait its own 100 s).</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<TrackedCall> _calls = new();
    private int _next;

    public IReadOnlyList<TrackedCall> Calls => [.. _calls];

    /// <summary>Successful calls of <paramref name="worker"/> begun at or after <paramref name="since"/> (a system timestamp).</summary>
    public int Succeeded(string worker, long since) => _calls.Count(c => c.Worker == worker && c.Started >= since && !c.Failed);

    /// <summary>Calls a tool and records the call; a failure is in <see cref="TrackedCall.Failure"/>.</summary>
    public async Task<TrackedCall> CallAsync(McpClient client, string worker, string tool, object? arguments = null)
    {
        var tag = $"{worker}/{tool}/{Interlocked.Increment(ref _next)}";
        var started = TimeProvider.System.GetTimestamp();
        JsonElement? result = null;
        string? failure;
        using (proxy.Tag(tag))
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken))
        {
            timeout.CancelAfter(CallTimeout);
            try
            {
                var args = arguments is null
                    ? new Dictionary<string, object?>()
                    : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
                var answer = await client.CallToolAsync(tool, args, cancellationToken: timeout.Token);
                failure = answer.IsError == true ? $"tool error: {answer.Text()}" : null;
                result = failure is null ? answer.StructuredContent : null;
            }
            catch (Exception ex) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
            {
                failure = timeout.IsCancellationRequested ? $"no answer within {CallTimeout.TotalSeconds} s" : $"{ex.GetType().Name}: {ex.Message}";
            }
        }
        var call = new TrackedCall(worker, tag, started, TimeProvider.System.GetTimestamp(), result, failure);
        _calls.Enqueue(call);
        return call;
    }
}
