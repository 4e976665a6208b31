using Microsoft.Extensions.Options;

namespace TotService.Runs;

/// <summary>
/// The replica's <see cref="RunOptions.MaxConcurrent"/> execution slots, shared fairly: each client waits in its own
/// queue and a freed slot goes to the next client in turn (round robin), so one client's queued runs never wait
/// behind more than one run of each other waiting client.
/// </summary>
public sealed class RunScheduler(IOptions<RunOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Queue<TaskCompletionSource>> _waiting = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _turns = new();
    private int _busy;

    /// <summary>Slots in use.</summary>
    public int Busy
    {
        get
        {
            lock (_gate)
            {
                return _busy;
            }
        }
    }

    /// <summary>Waits for a slot for <paramref name="client"/>; the caller must <see cref="Release"/> it.</summary>
    public async Task AcquireAsync(string client, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (_busy < options.Value.MaxConcurrent && _turns.Count == 0)
            {
                _busy++;
                return;
            }
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_waiting.TryGetValue(client, out var queue))
            {
                _waiting[client] = queue = new Queue<TaskCompletionSource>();
                _turns.AddLast(client);
            }
            queue.Enqueue(waiter);
        }

        // A grant and a cancel race on the same TaskCompletionSource: whichever completes it first wins.
        using (cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken)))
        {
            await waiter.Task;
        }
    }

    public void Release()
    {
        lock (_gate)
        {
            _busy--;
            while (_busy < options.Value.MaxConcurrent && NextWaiter() is { } waiter)
            {
                _busy++;
                if (!waiter.TrySetResult())
                {
                    _busy--; // cancelled while queued
                }
            }
        }
    }

    /// <summary>The first waiter of the client whose turn it is; that client moves to the back of the line.</summary>
    private TaskCompletionSource? NextWaiter()
    {
        while (_turns.First is { } turn)
        {
            _turns.RemoveFirst();
            var queue = _waiting[turn.Value];
            var waiter = queue.Dequeue();
            if (queue.Count == 0)
            {
                _waiting.Remove(turn.Value);
            }
            else
            {
                _turns.AddLast(turn);
            }
            if (!waiter.Task.IsCompleted)
            {
                return waiter;
            }
        }
        return null;
    }
}
