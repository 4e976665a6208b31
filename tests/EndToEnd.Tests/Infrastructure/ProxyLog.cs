namespace EndToEnd.Tests.Infrastructure;

/// <summary>
/// Every forwarding attempt of a <see cref="RoundRobinProxy"/>, in the order they began; safe for concurrent requests.
/// An attempt is logged when the proxy's pipeline returns, which can be a moment after the client has read the whole
/// answer: read the log through <see cref="SettledAsync"/>, which waits for that (except for a session's GET event
/// stream, which stays open as long as the session).
/// </summary>
public sealed class ProxyLog
{
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private readonly List<ProxiedRequest> _attempts = [];
    private int _open;
    private long _begun;

    /// <summary>The sequence number the next attempt gets, once no attempt is open: a mark for <see cref="SettledAsync"/>.</summary>
    public async Task<long> MarkAsync(CancellationToken cancellationToken = default)
    {
        await SettledAsync(long.MaxValue, cancellationToken);
        return Interlocked.Read(ref _begun);
    }

    /// <summary>The attempts from <paramref name="mark"/> on, in the order they began, once no attempt is open (every begun attempt is logged).</summary>
    public async Task<IReadOnlyList<ProxiedRequest>> SettledAsync(long mark = 0, CancellationToken cancellationToken = default)
    {
        await Eventually.UntilAsync(() => Volatile.Read(ref _open) == 0, SettleTimeout, "the proxy's open attempts to end",
            TimeSpan.FromMilliseconds(5), cancellationToken);
        lock (_gate)
        {
            return _attempts.Where(a => a.Sequence >= mark).OrderBy(a => a.Sequence).ToList();
        }
    }

    /// <summary>The attempts of the calls made under <paramref name="callTag"/>, in order, once no attempt is open.</summary>
    public async Task<IReadOnlyList<ProxiedRequest>> ForCallAsync(string callTag, CancellationToken cancellationToken = default) =>
        (await SettledAsync(0, cancellationToken)).Where(a => a.CallTag == callTag).ToList();

    /// <summary>Opens an attempt and returns its sequence number; a <paramref name="stream"/> is not waited for.</summary>
    internal long Begin(bool stream)
    {
        if (!stream)
        {
            Interlocked.Increment(ref _open);
        }
        return Interlocked.Increment(ref _begun) - 1;
    }

    internal void End(ProxiedRequest attempt, bool stream)
    {
        lock (_gate)
        {
            _attempts.Add(attempt);
        }
        if (!stream)
        {
            Interlocked.Decrement(ref _open);
        }
    }
}
