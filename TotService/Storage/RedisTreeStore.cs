using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TotService.Runs;
using TotService.Trees;

namespace TotService.Storage;

/// <summary>
/// Trees in Redis hashes (<see cref="StorageKeys.Tree"/>: owner, version, updated, header, one field per node id) and
/// the owner's usage index (<see cref="StorageKeys.OwnerTrees"/>: revision, and per tree its bytes and expiry), both
/// with a sliding TTL. A write sets only the fields that changed, under MULTI/EXEC conditions (no Lua, so Garnet works).
/// </summary>
public sealed class RedisTreeStore(IConnectionMultiplexer redis, IOptions<RunOptions> options, TimeProvider timeProvider) : ITreeStore
{
    private const string OwnerField = "owner";
    private const string VersionField = "version";
    private const string UpdatedField = "updated";
    private const string HeaderField = "header";

    private IDatabase Db => redis.GetDatabase();

    public async Task<StoredTree?> GetAsync(string treeId, CancellationToken cancellationToken)
    {
        var entries = await Db.HashGetAllAsync(StorageKeys.Tree(treeId));
        if (entries.Length == 0)
        {
            return null;
        }
        var fields = entries.ToDictionary(e => e.Name.ToString(), e => e.Value, StringComparer.Ordinal);
        if (!fields.TryGetValue(HeaderField, out var header) || !fields.TryGetValue(VersionField, out var version))
        {
            return null;
        }
        var nodes = new SortedList<int, byte[]>();
        foreach (var (name, value) in fields)
        {
            if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                nodes.Add(id, (byte[])value!);
            }
        }
        var updated = DateTimeOffset.FromUnixTimeMilliseconds((long)fields.GetValueOrDefault(UpdatedField, 0));
        return new StoredTree(treeId, fields[OwnerField].ToString(), (long)version, updated, (byte[])header!, [.. nodes.Values]);
    }

    public async Task<ClientTreeUsage> GetUsageAsync(string owner, CancellationToken cancellationToken)
    {
        var (live, revision, expired) = await UsageEntry.ReadAsync(Db, StorageKeys.OwnerTrees(owner), timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        return new ClientTreeUsage(live, revision, expired);
    }

    public async Task<bool> TryWriteAsync(TreeWrite write, CancellationToken cancellationToken)
    {
        var treeKey = StorageKeys.Tree(write.TreeId);
        var ownerKey = StorageKeys.OwnerTrees(write.Owner);
        var ttl = options.Value.Ttl;
        var expiresAt = timeProvider.GetUtcNow().Add(ttl).ToUnixTimeMilliseconds();

        var transaction = Db.CreateTransaction();
        transaction.AddCondition(write.ExpectedVersion == 0
            ? Condition.KeyNotExists(treeKey)
            : Condition.HashEqual(treeKey, VersionField, write.ExpectedVersion));
        transaction.AddCondition(write.ExpectedClientRevision == 0
            ? Condition.HashNotExists(ownerKey, UsageEntry.RevisionField)
            : Condition.HashEqual(ownerKey, UsageEntry.RevisionField, write.ExpectedClientRevision));

        var fields = new List<HashEntry>(write.Nodes.Count + 4)
        {
            new(VersionField, write.Version),
            new(UpdatedField, write.UpdatedAt.ToUnixTimeMilliseconds()),
        };
        if (write.ExpectedVersion == 0)
        {
            fields.Add(new(OwnerField, write.Owner));
            fields.Add(new(HeaderField, write.Header ?? throw new ArgumentException("A new tree needs its header.", nameof(write))));
        }
        fields.AddRange(write.Nodes.Select(n => new HashEntry(n.Key.ToString(CultureInfo.InvariantCulture), n.Value)));
        _ = transaction.HashSetAsync(treeKey, [.. fields]);
        _ = transaction.KeyExpireAsync(treeKey, ttl);

        if (write.ExpiredTrees.Count > 0)
        {
            _ = transaction.HashDeleteAsync(ownerKey, [.. write.ExpiredTrees.Select(id => (RedisValue)id)]);
        }
        _ = transaction.HashSetAsync(ownerKey,
        [
            new(UsageEntry.RevisionField, write.ExpectedClientRevision + 1),
            new(write.TreeId, UsageEntry.Format(write.TreeBytes, expiresAt)),
        ]);
        _ = transaction.KeyExpireAsync(ownerKey, ttl);
        return await transaction.ExecuteAsync();
    }
}
