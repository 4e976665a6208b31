using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TotService.Runs;
using TotService.Trees;

namespace TotService.Storage;

/// <summary>Trees in Redis hashes (<c>tot:tree:{id}</c>: owner, version, json) with a sliding TTL.</summary>
public sealed class RedisTreeStore(IConnectionMultiplexer redis, IOptions<RunOptions> options) : ITreeStore
{
    private const string VersionField = "version";
    private const string JsonField = "json";

    private IDatabase Db => redis.GetDatabase();

    public async Task CreateAsync(TreeRecord tree, CancellationToken cancellationToken)
    {
        var key = StorageKeys.Tree(tree.Id);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.KeyNotExists(key));
        _ = transaction.HashSetAsync(key, Fields(tree));
        _ = transaction.KeyExpireAsync(key, options.Value.Ttl);
        if (!await transaction.ExecuteAsync())
        {
            throw new InvalidOperationException($"Tree {tree.Id} already exists.");
        }
    }

    public async Task<TreeRecord?> GetAsync(string treeId, CancellationToken cancellationToken)
    {
        var json = await Db.HashGetAsync(StorageKeys.Tree(treeId), JsonField);
        return json.IsNullOrEmpty ? null : StorageJson.DeserializeTree(json.ToString());
    }

    public async Task<bool> TryReplaceAsync(TreeRecord updated, long expectedVersion, CancellationToken cancellationToken)
    {
        var key = StorageKeys.Tree(updated.Id);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(Condition.HashEqual(key, VersionField, expectedVersion.ToString(CultureInfo.InvariantCulture)));
        _ = transaction.HashSetAsync(key, Fields(updated));
        _ = transaction.KeyExpireAsync(key, options.Value.Ttl);
        return await transaction.ExecuteAsync();
    }

    private static HashEntry[] Fields(TreeRecord tree) =>
    [
        new("owner", tree.Owner),
        new(VersionField, tree.Version.ToString(CultureInfo.InvariantCulture)),
        new(JsonField, StorageJson.Serialize(tree)),
    ];
}
