using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TotService.Runs;

namespace TotService.Storage;

/// <summary>
/// Runs in Redis, shared by every replica (keys in <see cref="StorageKeys"/>, each with the configured TTL).
/// Uses only strings, hashes, sorted sets and MULTI/EXEC with conditions, so it runs on Redis and Garnet (no Lua).
/// Each owner's result bytes are counted in <see cref="StorageKeys.OwnerRunUsage"/>, in the transaction that stores or deletes the result.
/// </summary>
public sealed class RedisRunStore(IConnectionMultiplexer redis, IOptions<RunOptions> options, TimeProvider timeProvider) : IRunStore
{

    private IDatabase Db => redis.GetDatabase();

    private RunOptions Settings => options.Value;

    public async Task CreateAsync(RunRecord run, string replica, CancellationToken cancellationToken)
    {
        var owner = StorageKeys.OwnerRuns(run.Owner);
        var transaction = Db.CreateTransaction();
        _ = transaction.StringSetAsync(StorageKeys.Run(run.Id), StorageJson.Serialize(run), Settings.Ttl);
        _ = transaction.StringSetAsync(StorageKeys.RunLease(run.Id), replica, Settings.LeaseDuration);
        _ = transaction.SortedSetAddAsync(owner, run.Id, run.CreatedAt.ToUnixTimeMilliseconds());
        _ = transaction.KeyExpireAsync(owner, Settings.Ttl);
        if (!await transaction.ExecuteAsync())
        {
            throw new InvalidOperationException($"Redis refused to store run {run.Id}.");
        }
    }

    public async Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        var json = await Db.StringGetAsync(StorageKeys.Run(runId));
        return json.IsNullOrEmpty ? null : StorageJson.DeserializeRun(json.ToString());
    }

    public Task SaveAsync(RunRecord run, CancellationToken cancellationToken) =>
        Db.StringSetAsync(StorageKeys.Run(run.Id), StorageJson.Serialize(run), Settings.Ttl);

    public async Task<bool> TryReplaceLostAsync(RunRecord expected, RunRecord replacement, CancellationToken cancellationToken, string? leaseHolder = null)
    {
        var key = StorageKeys.Run(expected.Id);
        var current = await Db.StringGetAsync(key);
        if (current.IsNullOrEmpty || StorageJson.DeserializeRun(current.ToString()) != expected)
        {
            return false;
        }
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.StringEqual(key, current));
        transaction.AddCondition(Condition.KeyNotExists(StorageKeys.RunLease(expected.Id)));
        _ = transaction.StringSetAsync(key, StorageJson.Serialize(replacement), Settings.Ttl);
        if (leaseHolder is not null)
        {
            _ = transaction.StringSetAsync(StorageKeys.RunLease(expected.Id), leaseHolder, Settings.LeaseDuration);
        }
        return await transaction.ExecuteAsync();
    }

    public async Task<bool> TrySaveResultAsync(RunResultWrite write, CancellationToken cancellationToken)
    {
        var usage = StorageKeys.OwnerRunUsage(write.Owner);
        var expiresAt = timeProvider.GetUtcNow().Add(Settings.Ttl).ToUnixTimeMilliseconds();
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(write.ExpectedClientRevision == 0
            ? Condition.HashNotExists(usage, UsageEntry.RevisionField)
            : Condition.HashEqual(usage, UsageEntry.RevisionField, write.ExpectedClientRevision));
        _ = transaction.StringSetAsync(StorageKeys.RunResult(write.RunId), write.ResultJson, Settings.Ttl);
        if (write.ExpiredRuns.Count > 0)
        {
            _ = transaction.HashDeleteAsync(usage, [.. write.ExpiredRuns.Select(id => (RedisValue)id)]);
        }
        _ = transaction.HashSetAsync(usage,
        [
            new(UsageEntry.RevisionField, write.ExpectedClientRevision + 1),
            new(write.RunId, UsageEntry.Format(write.ResultBytes, expiresAt)),
        ]);
        _ = transaction.KeyExpireAsync(usage, Settings.Ttl);
        return await transaction.ExecuteAsync();
    }

    public async Task<ClientRunUsage> GetResultUsageAsync(string owner, CancellationToken cancellationToken)
    {
        var (live, revision, expired) = await UsageEntry.ReadAsync(Db, StorageKeys.OwnerRunUsage(owner), timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        return new ClientRunUsage(live, revision, expired);
    }

    public async Task<string?> GetResultAsync(string runId, CancellationToken cancellationToken)
    {
        var json = await Db.StringGetAsync(StorageKeys.RunResult(runId));
        return json.IsNullOrEmpty ? null : json.ToString();
    }

    public async Task<IReadOnlyList<RunRecord>> ListAsync(string owner, int limit, CancellationToken cancellationToken)
    {
        var key = StorageKeys.OwnerRuns(owner);
        // Drop index entries older than the TTL: their records have expired.
        var cutoff = (timeProvider.GetUtcNow() - Settings.Ttl).ToUnixTimeMilliseconds();
        await Db.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, cutoff);
        var ids = await Db.SortedSetRangeByRankAsync(key, 0, limit - 1, Order.Descending);
        if (ids.Length == 0)
        {
            return [];
        }
        var values = await Db.StringGetAsync([.. ids.Select(id => (RedisKey)StorageKeys.Run(id.ToString()))]);
        return [.. values.Where(v => !v.IsNullOrEmpty).Select(v => StorageJson.DeserializeRun(v.ToString()))];
    }

    public async Task RenewLeasesAsync(IReadOnlyCollection<string> runIds, string replica, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
        {
            return;
        }
        var batch = Db.CreateBatch();
        var writes = runIds.Select(id => batch.StringSetAsync(StorageKeys.RunLease(id), replica, Settings.LeaseDuration)).ToList();
        batch.Execute();
        await Task.WhenAll(writes);
    }

    public Task<bool> HasLeaseAsync(string runId, CancellationToken cancellationToken) =>
        Db.KeyExistsAsync(StorageKeys.RunLease(runId));

    public Task ReleaseLeaseAsync(string runId, CancellationToken cancellationToken) =>
        Db.KeyDeleteAsync(StorageKeys.RunLease(runId));

    public async Task DeleteAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var transaction = Db.CreateTransaction();
        _ = transaction.KeyDeleteAsync([StorageKeys.Run(run.Id), StorageKeys.RunResult(run.Id), StorageKeys.RunLease(run.Id), StorageKeys.RunCancel(run.Id)]);
        _ = transaction.SortedSetRemoveAsync(StorageKeys.OwnerRuns(run.Owner), run.Id);
        // Freeing bytes leaves the revision alone: a concurrent result write that counted them only erred on the safe side.
        _ = transaction.HashDeleteAsync(StorageKeys.OwnerRunUsage(run.Owner), run.Id);
        await transaction.ExecuteAsync();
    }

    public Task RequestCancelAsync(string runId, CancellationToken cancellationToken) =>
        Db.StringSetAsync(StorageKeys.RunCancel(runId), "1", Settings.Ttl);

    public async Task<IReadOnlyList<string>> CancelRequestedAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        if (runIds.Count == 0)
        {
            return [];
        }
        var ids = runIds.ToArray();
        var flags = await Db.StringGetAsync([.. ids.Select(id => (RedisKey)StorageKeys.RunCancel(id))]);
        return [.. ids.Where((_, i) => !flags[i].IsNullOrEmpty)];
    }
}
