using StackExchange.Redis;
using TotService.Runs;

namespace TotService.Storage;

/// <summary>Transcripts as JSON strings under <see cref="StorageKeys.RunTranscript"/>; a conditional write is MULTI/EXEC on the old value.</summary>
public sealed class RedisModelTranscriptStore(IConnectionMultiplexer redis) : IModelTranscriptStore
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<StoredTranscript?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        var json = await Db.StringGetAsync(StorageKeys.RunTranscript(runId));
        return json.IsNullOrEmpty ? null : new StoredTranscript(StorageJson.DeserializeTranscript(json.ToString()), json.ToString());
    }

    public async Task<bool> TryReplaceAsync(StoredTranscript? expected, ModelTranscript next, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var key = StorageKeys.RunTranscript(next.RunId);
        var transaction = Db.CreateTransaction();
        transaction.AddCondition(expected is null ? Condition.KeyNotExists(key) : Condition.StringEqual(key, expected.Version));
        _ = transaction.StringSetAsync(key, StorageJson.Serialize(next), timeToLive);
        return await transaction.ExecuteAsync();
    }

    public Task DeleteAsync(string runId, CancellationToken cancellationToken) => Db.KeyDeleteAsync(StorageKeys.RunTranscript(runId));
}
