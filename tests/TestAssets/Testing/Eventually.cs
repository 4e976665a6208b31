namespace Testing;

/// <summary>
/// Waits for a state by polling it, bounded: a test waits for what it needs, never for a fixed time, and a wait that
/// runs out says what it waited for and what it saw last.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Reads <paramref name="probe"/> until <paramref name="done"/> holds for its value, and returns that value.</summary>
    /// <param name="what">What is awaited, as the failure message should name it ("the run to finish").</param>
    /// <param name="describe">How the last value reads in the failure message; its ToString() without it.</param>
    public static async Task<T> UntilAsync<T>(
        Func<CancellationToken, Task<T>> probe,
        Func<T, bool> done,
        TimeSpan timeout,
        string what,
        Func<T, string>? describe = null,
        TimeSpan? interval = null,
        CancellationToken cancellationToken = default)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        var seen = false;
        T last = default!;
        try
        {
            while (true)
            {
                last = await probe(bound.Token);
                seen = true;
                if (done(last))
                {
                    return last;
                }
                await Task.Delay(interval ?? DefaultInterval, bound.Token);
            }
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var lastSeen = !seen ? "nothing (the first probe did not return)" : describe?.Invoke(last) ?? last?.ToString() ?? "null";
            throw new TimeoutException($"Waited {timeout.TotalSeconds:0.###} s for {what}; last seen: {lastSeen}.");
        }
    }

    /// <summary>Evaluates <paramref name="condition"/> until it holds.</summary>
    public static Task UntilAsync(
        Func<CancellationToken, Task<bool>> condition,
        TimeSpan timeout,
        string what,
        TimeSpan? interval = null,
        CancellationToken cancellationToken = default) =>
        UntilAsync(condition, held => held, timeout, what, held => held ? "true" : "false", interval, cancellationToken);

    /// <summary>Evaluates <paramref name="condition"/> (a state read in memory) until it holds.</summary>
    public static Task UntilAsync(
        Func<bool> condition,
        TimeSpan timeout,
        string what,
        TimeSpan? interval = null,
        CancellationToken cancellationToken = default) =>
        UntilAsync(_ => Task.FromResult(condition()), timeout, what, interval, cancellationToken);
}
