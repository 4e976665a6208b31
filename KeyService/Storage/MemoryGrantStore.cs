using System.Collections.Concurrent;

namespace KeyService.Storage;

/// <summary>
/// <see cref="IGrantStore"/> in this process, for a single KeyService without Redis (the file key ring's setting).
/// Expired entries are dropped when read and swept when a write finds the store large.
/// </summary>
public sealed class MemoryGrantStore(TimeProvider time) : IGrantStore
{
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<string, (byte[] Value, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, DateTimeOffset>> _sets = new(StringComparer.Ordinal);

    public Task SetAsync(string key, byte[] value, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_entries.Count > SweepAbove)
        {
            foreach (var expired in _entries.Where(e => e.Value.Expires <= now))
            {
                _entries.TryRemove(expired);
            }
        }
        _entries[key] = (value, now + lifetime);
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryGetValue(key, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Value : null);

    public Task<byte[]?> TakeAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_entries.TryRemove(key, out var entry) && entry.Expires > time.GetUtcNow() ? entry.Value : null);

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        _entries.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public Task<bool> TryTrackAsync(string set, string member, DateTimeOffset expires, long capacity, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_sets)
        {
            if (!_sets.TryGetValue(set, out var members))
            {
                _sets[set] = members = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            }
            foreach (var expired in members.Where(m => m.Value <= now).Select(m => m.Key).ToList())
            {
                members.Remove(expired);
            }
            if (!members.ContainsKey(member) && members.Count >= capacity)
            {
                return Task.FromResult(false);
            }
            members[member] = expires;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<string>> MembersAsync(string set, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_sets)
        {
            IReadOnlyList<string> live = _sets.TryGetValue(set, out var members)
                ? [.. members.Where(m => m.Value > now).OrderBy(m => m.Value).Select(m => m.Key)]
                : [];
            return Task.FromResult(live);
        }
    }

    public Task UntrackAsync(string set, string member, CancellationToken cancellationToken)
    {
        lock (_sets)
        {
            if (_sets.TryGetValue(set, out var members))
            {
                members.Remove(member);
            }
        }
        return Task.CompletedTask;
    }
}
