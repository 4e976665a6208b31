namespace TotService.Runs;

/// <summary>
/// Transcripts of runs on the client's model (<see cref="ModelTranscript"/>), one per run, each expiring when its
/// client stops answering. Implementations: <c>Storage.RedisModelTranscriptStore</c>, <c>Storage.InMemoryModelTranscriptStore</c>.
/// </summary>
public interface IModelTranscriptStore
{
    Task<StoredTranscript?> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="next"/> only if the stored transcript is still <paramref name="expected"/> (null: none
    /// stored), so of two retries with the same handle exactly one wins.
    /// </summary>
    Task<bool> TryReplaceAsync(StoredTranscript? expected, ModelTranscript next, TimeSpan timeToLive, CancellationToken cancellationToken);

    Task DeleteAsync(string runId, CancellationToken cancellationToken);
}

/// <summary>A transcript as read, with the exact stored form a conditional write compares against.</summary>
public sealed record StoredTranscript(ModelTranscript Transcript, string Version);
