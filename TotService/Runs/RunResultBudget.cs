using System.Text;
using Microsoft.Extensions.Options;
using TotService.Engine.Search;

namespace TotService.Runs;

/// <summary>
/// Stores a finished run's result within its owner's <see cref="RunOptions.MaxStoredRunBytesPerClient"/>: deletes the
/// owner's oldest finished runs to make room, then writes compare-and-set on the owner's usage revision (retried), so
/// runs finishing at once on different replicas cannot together pass the limit. A result that still does not fit
/// (the room is held by the client's other runs finishing at the same moment) is clipped to the room left, and
/// refused only when even fully clipped it is larger.
/// </summary>
public sealed class RunResultBudget(IRunStore store, RunMetrics metrics, IOptions<RunOptions> options)
{
    private const int MaxAttempts = 5;

    public async Task<StoredRunResult> StoreAsync(RunRecord run, SearchResult result, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var limit = settings.MaxStoredRunBytesPerClient;
        var (fullJson, fullTrimmed) = RunResults.Serialize(result, settings.MaxResultBytes);
        var fullBytes = (long)Encoding.UTF8.GetByteCount(fullJson);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var usage = await store.GetResultUsageAsync(run.Owner, cancellationToken);
            if (Others(usage, run.Id) + fullBytes > limit && await EvictOldestAsync(run, usage, Others(usage, run.Id) + fullBytes - limit, cancellationToken))
            {
                usage = await store.GetResultUsageAsync(run.Owner, cancellationToken);
            }
            var others = Others(usage, run.Id);
            var (json, bytes, trimmed) = (fullJson, fullBytes, fullTrimmed);
            if (others + bytes > limit)
            {
                var room = limit - others;
                (json, _) = RunResults.Serialize(result, (int)Math.Clamp(room, 0, int.MaxValue));
                (bytes, trimmed) = (Encoding.UTF8.GetByteCount(json), true);
                if (bytes > room)
                {
                    return new StoredRunResult(false, Refusal(bytes, room, limit));
                }
            }
            if (await store.TrySaveResultAsync(new RunResultWrite(run.Id, run.Owner, json, bytes, usage.Revision, usage.ExpiredRuns), cancellationToken))
            {
                metrics.ResultStored(bytes, others + bytes);
                return new StoredRunResult(trimmed, null);
            }
        }
        throw new InvalidOperationException($"The stored-run usage of run {run.Id}'s owner kept changing during {MaxAttempts} attempts to store its result.");
    }

    private static long Others(ClientRunUsage usage, string runId) => usage.Bytes - usage.Runs.GetValueOrDefault(runId);

    /// <summary>Deletes the owner's oldest finished runs that hold result bytes until <paramref name="needed"/> are freed; true when any was deleted.</summary>
    private async Task<bool> EvictOldestAsync(RunRecord run, ClientRunUsage usage, long needed, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var owned = await store.ListAsync(run.Owner, Math.Max(100, settings.MaxStoredRunsPerClient + settings.MaxConcurrentPerClient), cancellationToken);
        long freed = 0;
        var deleted = false;
        foreach (var old in owned.Where(r => r.Id != run.Id && !r.State.IsLive() && usage.Runs.ContainsKey(r.Id)).OrderBy(r => r.CreatedAt))
        {
            if (freed >= needed)
            {
                break;
            }
            await store.DeleteAsync(old, cancellationToken);
            metrics.Evicted();
            freed += usage.Runs[old.Id];
            deleted = true;
        }
        return deleted;
    }

    private static string Refusal(long bytes, long room, long limit) =>
        $"The result was not stored: even with every text clipped it takes {bytes} bytes, and only {Math.Max(0, room)} of the " +
        $"{limit} bytes of {RunOptions.SectionName}:{nameof(RunOptions.MaxStoredRunBytesPerClient)} were free while this client's other runs were storing theirs.";
}

/// <summary>What became of a run's result: stored (<paramref name="Trimmed"/> when its texts were clipped), or refused with a readable reason.</summary>
public sealed record StoredRunResult(bool Trimmed, string? Refusal);
