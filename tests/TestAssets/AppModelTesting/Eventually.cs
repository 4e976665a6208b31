using System.Globalization;

namespace AppModelTesting;

/// <summary>
/// Waits for a state that raises no event (a scrape target up, a span exported, a process gone): observes it at an
/// interval until it holds, within a timeout; on timeout the exception names what was awaited and what was last seen.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>The first observation that <paramref name="holds"/>; the timeout bounds the observations too.</summary>
    public static async Task<T> ReachesAsync<T>(
        string awaited, TimeSpan timeout, Func<CancellationToken, Task<T>> observe, Func<T, bool> holds, Func<T, string> describe,
        TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var timer = new PeriodicTimer(interval ?? DefaultInterval);
        var last = default(T);
        var observed = false;
        try
        {
            while (true)
            {
                last = await observe(deadline.Token);
                observed = true;
                if (holds(last))
                {
                    return last;
                }
                await timer.WaitForNextTickAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                $"Not within {timeout.TotalSeconds:F0} s: {awaited}. Last seen: {(observed ? describe(last!) : "nothing (the first observation did not finish)")}"));
        }
    }

    /// <summary>Waits until <paramref name="condition"/> is true.</summary>
    public static Task TrueAsync(
        string awaited, TimeSpan timeout, Func<CancellationToken, Task<bool>> condition, TimeSpan? interval = null, CancellationToken cancellationToken = default) =>
        ReachesAsync(awaited, timeout, condition, held => held, _ => "false", interval, cancellationToken);
}
