using TotService.Runs;

namespace TotService.Storage;

/// <summary>Transcripts in this process's memory, for a single replica without Redis.</summary>
public sealed class InMemoryModelTranscriptStore(TimeProvider timeProvider) : IModelTranscriptStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Json, DateTimeOffset ExpiresAt)> _transcripts = new(StringComparer.Ordinal);

    public Task<StoredTranscript?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Live(runId) is { } json ? new StoredTranscript(StorageJson.DeserializeTranscript(json), json) : null);
        }
    }

    public Task<bool> TryReplaceAsync(StoredTranscript? expected, ModelTranscript next, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (Live(next.RunId) != expected?.Version)
            {
                return Task.FromResult(false);
            }
            _transcripts[next.RunId] = (StorageJson.Serialize(next), timeProvider.GetUtcNow() + timeToLive);
            return Task.FromResult(true);
        }
    }

    public Task DeleteAsync(string runId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _transcripts.Remove(runId);
        }
        return Task.CompletedTask;
    }

    private string? Live(string runId)
    {
        if (!_transcripts.TryGetValue(runId, out var entry))
        {
            return null;
        }
        if (entry.ExpiresAt > timeProvider.GetUtcNow())
        {
            return entry.Json;
        }
        _transcripts.Remove(runId);
        return null;
    }
}
