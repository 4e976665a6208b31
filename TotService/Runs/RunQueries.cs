using Microsoft.Extensions.Options;
using ModelContextProtocol;

namespace TotService.Runs;

/// <summary>
/// Reads runs for their owner on any replica. A live run whose executing replica stopped renewing its lease is taken
/// over by whichever replica looks first (<see cref="RunAdoption"/>: restarted there), or marked failed when it cannot
/// be; one whose client stopped answering its model questions is marked failed. So no run stays live forever.
/// </summary>
public sealed class RunQueries(
    IRunStore store,
    IModelTranscriptStore transcripts,
    LocalRuns local,
    RunMetrics metrics,
    IOptions<RunOptions> options,
    TimeProvider timeProvider,
    RunAdoption? adoption = null)
{
    public const string LeaseExpiredError = "The executing replica stopped (lease expired) before the run finished.";

    public const string ClientSilentError = "The client did not answer the run's model questions in time (Runs:SamplingTimeout), so the run stopped.";

    /// <summary>The run, if it exists and belongs to <paramref name="owner"/>; otherwise a "not found" tool error (the same for both).</summary>
    public async Task<RunRecord> GetOwnedAsync(string runId, string owner, CancellationToken cancellationToken)
    {
        var record = RunIds.IsWellFormed(runId) ? await store.GetAsync(runId, cancellationToken) : null;
        if (record is null || record.Owner != owner)
        {
            throw NotFound(runId);
        }
        return await ReconcileAsync(record, cancellationToken);
    }

    /// <summary>The owner's runs, newest first, with lost runs marked failed.</summary>
    public async Task<IReadOnlyList<RunRecord>> ListOwnedAsync(string owner, int limit, CancellationToken cancellationToken)
    {
        var runs = await store.ListAsync(owner, limit, cancellationToken);
        var reconciled = new List<RunRecord>(runs.Count);
        foreach (var run in runs.Where(r => r.Owner == owner))
        {
            reconciled.Add(await ReconcileAsync(run, cancellationToken));
        }
        return reconciled;
    }

    public McpException NotFound(string? runId) => new(
        $"Run '{RunIds.Display(runId)}' was not found. Runs are visible only to the client that started them and are kept for {options.Value.Ttl.TotalHours:0.#} h; list yours with tot_list_runs.");

    private async Task<RunRecord> ReconcileAsync(RunRecord record, CancellationToken cancellationToken)
    {
        if (local.TryGet(record.Id, out var held))
        {
            return held.Snapshot();
        }
        if (!record.State.IsLive() || await IsAttendedAsync(record, cancellationToken))
        {
            return record;
        }

        if (record.State != RunState.Waiting && adoption is not null && await adoption.TryAdoptAsync(record, cancellationToken) is { } restarted)
        {
            return restarted;
        }
        var now = timeProvider.GetUtcNow();
        var failed = record with
        {
            State = RunState.Failed,
            Error = record.State == RunState.Waiting ? ClientSilentError : LeaseExpiredError,
            FinishedAt = now,
        };
        if (await store.TryReplaceLostAsync(record, failed, cancellationToken))
        {
            metrics.Lost(record, now - record.CreatedAt);
            return failed;
        }
        // Someone else wrote meanwhile (the run finished, or another reader marked it): read again.
        return await store.GetAsync(record.Id, cancellationToken) ?? failed;
    }

    /// <summary>
    /// A replica holds the run's lease, or (a waiting run) its current round is still open: its transcript lives until
    /// the round's deadline, and a run just admitted is given until then to write its first one.
    /// </summary>
    private async Task<bool> IsAttendedAsync(RunRecord record, CancellationToken cancellationToken) => record.State == RunState.Waiting
        ? timeProvider.GetUtcNow() - record.CreatedAt < options.Value.SamplingTimeout || await transcripts.GetAsync(record.Id, cancellationToken) is not null
        : await store.HasLeaseAsync(record.Id, cancellationToken);
}
