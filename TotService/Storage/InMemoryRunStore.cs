using Microsoft.Extensions.Options;
using TotService.Runs;

namespace TotService.Storage;

/// <summary>
/// Runs in this process's memory, for a single replica without Redis. Same semantics as <see cref="RedisRunStore"/>
/// (TTL, leases, cancel flags), so the executor and tools do not care which one they talk to.
/// </summary>
public sealed class InMemoryRunStore(IOptions<RunOptions> options, TimeProvider timeProvider) : IRunStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Expiring<RunRecord>> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Expiring<string>> _results = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _cancelFlags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OwnerUsage> _usage = new(StringComparer.Ordinal);

    private RunOptions Settings => options.Value;

    public Task CreateAsync(RunRecord run, string replica, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            _runs[run.Id] = new(run, now + Settings.Ttl);
            _leases[run.Id] = now + Settings.LeaseDuration;
        }
        return Task.CompletedTask;
    }

    public Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Live(_runs, runId));
        }
    }

    public Task SaveAsync(RunRecord run, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _runs[run.Id] = new(run, timeProvider.GetUtcNow() + Settings.Ttl);
        }
        return Task.CompletedTask;
    }

    public Task<bool> TryReplaceLostAsync(RunRecord expected, RunRecord replacement, CancellationToken cancellationToken, string? leaseHolder = null)
    {
        lock (_gate)
        {
            if (Live(_runs, expected.Id) != expected || HasLease(expected.Id))
            {
                return Task.FromResult(false);
            }
            _runs[expected.Id] = new(replacement, timeProvider.GetUtcNow() + Settings.Ttl);
            if (leaseHolder is not null)
            {
                _leases[expected.Id] = timeProvider.GetUtcNow() + Settings.LeaseDuration;
            }
            return Task.FromResult(true);
        }
    }

    public Task<bool> TrySaveResultAsync(RunResultWrite write, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var usage = _usage.GetValueOrDefault(write.Owner) ?? new OwnerUsage();
            if (usage.Revision != write.ExpectedClientRevision)
            {
                return Task.FromResult(false);
            }
            var expiresAt = timeProvider.GetUtcNow() + Settings.Ttl;
            _results[write.RunId] = new(write.ResultJson, expiresAt);
            foreach (var expired in write.ExpiredRuns)
            {
                usage.Runs.Remove(expired);
            }
            usage.Runs[write.RunId] = new(write.ResultBytes, expiresAt);
            usage.Revision++;
            _usage[write.Owner] = usage;
            return Task.FromResult(true);
        }
    }

    public Task<ClientRunUsage> GetResultUsageAsync(string owner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_usage.TryGetValue(owner, out var usage))
            {
                return Task.FromResult(ClientRunUsage.Empty);
            }
            var now = timeProvider.GetUtcNow();
            var live = usage.Runs.Where(r => r.Value.ExpiresAt > now).ToDictionary(r => r.Key, r => r.Value.Value, StringComparer.Ordinal);
            var expired = usage.Runs.Keys.Where(id => !live.ContainsKey(id)).ToList();
            return Task.FromResult(new ClientRunUsage(live, usage.Revision, expired));
        }
    }

    public Task<string?> GetResultAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Live(_results, runId));
        }
    }

    public Task<IReadOnlyList<RunRecord>> ListAsync(string owner, int limit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<RunRecord> runs = [.. _runs.Keys.ToList()
                .Select(id => Live(_runs, id))
                .OfType<RunRecord>()
                .Where(run => run.Owner == owner)
                .OrderByDescending(run => run.CreatedAt)
                .Take(limit)];
            return Task.FromResult(runs);
        }
    }

    public Task RenewLeasesAsync(IReadOnlyCollection<string> runIds, string replica, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var runId in runIds)
            {
                _leases[runId] = timeProvider.GetUtcNow() + Settings.LeaseDuration;
            }
        }
        return Task.CompletedTask;
    }

    public Task<bool> HasLeaseAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(HasLease(runId));
        }
    }

    public Task ReleaseLeaseAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _leases.Remove(runId);
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync(RunRecord run, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _runs.Remove(run.Id);
            _results.Remove(run.Id);
            _leases.Remove(run.Id);
            _cancelFlags.Remove(run.Id);
            if (_usage.TryGetValue(run.Owner, out var usage))
            {
                usage.Runs.Remove(run.Id);
            }
        }
        return Task.CompletedTask;
    }

    public Task RequestCancelAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _cancelFlags[runId] = timeProvider.GetUtcNow() + Settings.Ttl;
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> CancelRequestedAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            IReadOnlyList<string> flagged = [.. runIds.Where(id => _cancelFlags.TryGetValue(id, out var expires) && expires > now)];
            return Task.FromResult(flagged);
        }
    }

    private bool HasLease(string runId) => _leases.TryGetValue(runId, out var expires) && expires > timeProvider.GetUtcNow();

    private T? Live<T>(Dictionary<string, Expiring<T>> entries, string key) where T : class
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            return null;
        }
        if (entry.ExpiresAt > timeProvider.GetUtcNow())
        {
            return entry.Value;
        }
        entries.Remove(key);
        return null;
    }

    private readonly record struct Expiring<T>(T Value, DateTimeOffset ExpiresAt);

    private sealed class OwnerUsage
    {
        public long Revision { get; set; }

        public Dictionary<string, Expiring<long>> Runs { get; } = new(StringComparer.Ordinal);
    }
}
