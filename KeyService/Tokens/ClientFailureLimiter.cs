using KeyService.Options;
using Microsoft.Extensions.Options;

namespace KeyService.Tokens;

/// <summary>
/// Failed-secret limits per (client id, source address) and per source address across client ids. A verification
/// is reserved before the secret is checked, so concurrent attempts never exceed a limit; a bucket that reaches its
/// limit is blocked for <c>ClientFailureWindow</c>, doubling with each block that follows within
/// <c>ClientFailureMaxBackoff</c>, up to that. Only the attacker's (client, address) and address are throttled: a
/// clean address is never refused.
/// </summary>
/// <remarks>
/// Per-replica memory, not Redis: the limits bound CPU (PBKDF2 work) on this replica and online guessing of secrets
/// that are long random strings, so a replica count times the limit is still no useful guessing rate, and the hot
/// path needs no round trip and keeps working while Redis is away. At most <c>ClientFailureMaxTracked</c> buckets
/// are held; past that the least recently active idle bucket is dropped (failing open for one old attacker rather
/// than closed for a new client).
/// </remarks>
public sealed class ClientFailureLimiter(IOptions<KeyServiceOptions> options, TimeProvider time)
{
    /// <summary>Retry-After for a request refused because the remaining attempts are all being verified.</summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Source, string? ClientId), Bucket> _buckets = [];
    private readonly LinkedList<Bucket> _byActivity = new();

    public int TrackedBuckets
    {
        get
        {
            lock (_lock)
            {
                return _buckets.Count;
            }
        }
    }

    /// <summary>True while the client's or the whole source's bucket is blocked.</summary>
    public bool IsBlocked(string clientId, string source, out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            retryAfter = Max(Find((source, clientId))?.BlockedFor(now), Find((source, null))?.BlockedFor(now));
            return retryAfter > TimeSpan.Zero;
        }
    }

    /// <summary>Reserves one secret verification against both limits; null (and how long to wait) when refused.</summary>
    public Reservation? TryReserve(string clientId, string source, out TimeSpan retryAfter)
    {
        var o = options.Value;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var client = FindOrAdd((source, clientId), now);
            var whole = FindOrAdd((source, null), now);
            retryAfter = Max(client.BlockedFor(now), whole.BlockedFor(now));
            if (retryAfter == TimeSpan.Zero && (!client.HasRoom(now, o.ClientFailureLimit) || !whole.HasRoom(now, o.SourceFailureLimit)))
            {
                retryAfter = BusyRetryAfter;
            }
            if (retryAfter > TimeSpan.Zero)
            {
                DropIfClean(client);
                DropIfClean(whole);
                return null;
            }
            client.InFlight++;
            whole.InFlight++;
            return new Reservation(client, whole);
        }
    }

    /// <summary>Ends a reservation: a failure counts against both buckets, a success clears the client's.</summary>
    public void Complete(Reservation reservation, bool failed)
    {
        var o = options.Value;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var (client, whole) = (reservation.Client, reservation.Source);
            client.InFlight--;
            whole.InFlight--;
            if (failed)
            {
                client.Fail(now, o.ClientFailureLimit, o.ClientFailureWindow, o.ClientFailureMaxBackoff);
                whole.Fail(now, o.SourceFailureLimit, o.ClientFailureWindow, o.ClientFailureMaxBackoff);
                Touch(client, now);
                Touch(whole, now);
            }
            else
            {
                client.Clear();
            }
            DropIfClean(client);
            DropIfClean(whole);
            SweepExpired(now);
        }
    }

    private Bucket? Find((string, string?) key) => _buckets.GetValueOrDefault(key);

    private Bucket FindOrAdd((string Source, string? ClientId) key, DateTimeOffset now)
    {
        if (_buckets.TryGetValue(key, out var bucket))
        {
            return bucket;
        }
        SweepExpired(now);
        if (_buckets.Count >= options.Value.ClientFailureMaxTracked)
        {
            EvictLeastRecentlyActive();
        }
        bucket = new Bucket(key);
        bucket.Node = _byActivity.AddLast(bucket);
        bucket.LastActivity = now;
        _buckets.Add(key, bucket);
        return bucket;
    }

    /// <summary>
    /// A bucket idle for twice <c>ClientFailureMaxBackoff</c> remembers nothing that still matters: its block (at most
    /// one maximum) is over and the quiet maximum after it has reset its strikes.
    /// </summary>
    private void SweepExpired(DateTimeOffset now)
    {
        var forgetAfter = options.Value.ClientFailureMaxBackoff * 2;
        while (_byActivity.First?.Value is { InFlight: 0 } oldest && now >= oldest.LastActivity + forgetAfter && oldest.BlockedFor(now) == TimeSpan.Zero)
        {
            Remove(oldest);
        }
    }

    private void EvictLeastRecentlyActive()
    {
        for (var node = _byActivity.First; node is not null; node = node.Next)
        {
            if (node.Value.InFlight == 0)
            {
                Remove(node.Value);
                return;
            }
        }
    }

    private void Touch(Bucket bucket, DateTimeOffset now)
    {
        bucket.LastActivity = now;
        _byActivity.Remove(bucket.Node!);
        _byActivity.AddLast(bucket.Node!);
    }

    private void DropIfClean(Bucket bucket)
    {
        if (bucket is { InFlight: 0, Failures: 0, Strikes: 0 })
        {
            Remove(bucket);
        }
    }

    private void Remove(Bucket bucket)
    {
        if (_buckets.Remove(bucket.Key))
        {
            _byActivity.Remove(bucket.Node!);
        }
    }

    private static TimeSpan Max(TimeSpan? a, TimeSpan? b) => TimeSpan.FromTicks(Math.Max(a?.Ticks ?? 0, b?.Ticks ?? 0));

    /// <summary>A reserved verification; pass it back to <see cref="Complete"/>.</summary>
    public sealed class Reservation
    {
        internal Reservation(Bucket client, Bucket source) => (Client, Source) = (client, source);

        internal Bucket Client { get; }

        internal Bucket Source { get; }
    }

    internal sealed class Bucket((string Source, string? ClientId) key)
    {
        public (string Source, string? ClientId) Key { get; } = key;

        public LinkedListNode<Bucket>? Node { get; set; }

        public DateTimeOffset LastActivity { get; set; }

        public int InFlight { get; set; }

        public int Failures { get; private set; }

        public int Strikes { get; private set; }

        private DateTimeOffset _windowEnds = DateTimeOffset.MinValue;
        private DateTimeOffset _blockedUntil = DateTimeOffset.MinValue;

        public TimeSpan BlockedFor(DateTimeOffset now) => _blockedUntil > now ? _blockedUntil - now : TimeSpan.Zero;

        public bool HasRoom(DateTimeOffset now, int limit) => (now >= _windowEnds ? 0 : Failures) + InFlight < limit;

        public void Fail(DateTimeOffset now, int limit, TimeSpan window, TimeSpan maxBackoff)
        {
            if (now >= _windowEnds)
            {
                Failures = 0;
                _windowEnds = now + window;
            }
            if (++Failures < limit)
            {
                return;
            }
            // A block that follows the previous one closely is twice as long, so a patient attacker's rate decays to
            // one limit's worth per maxBackoff.
            Strikes = now - _blockedUntil < maxBackoff ? Strikes + 1 : 1;
            var block = window;
            for (var i = 1; i < Strikes && block < maxBackoff; i++)
            {
                block *= 2;
            }
            _blockedUntil = now + (block < maxBackoff ? block : maxBackoff);
            _windowEnds = _blockedUntil;
            Failures = 0;
        }

        public void Clear() => (Failures, Strikes, _windowEnds, _blockedUntil) = (0, 0, DateTimeOffset.MinValue, DateTimeOffset.MinValue);
    }
}
