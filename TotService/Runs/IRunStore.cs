
namespace TotService.Runs;

/// <summary>
/// Shared state of server-driven runs: records, results, leases and cancel flags. Every entry expires after
/// the configured TTL. Implementations: <c>Storage.RedisRunStore</c> (shared by replicas) and
/// <c>Storage.InMemoryRunStore</c> (one process, no Redis configured).
/// </summary>
public interface IRunStore
{
    /// <summary>Stores a new run, indexes it under its owner and takes the lease for <paramref name="replica"/>, atomically.</summary>
    Task CreateAsync(RunRecord run, string replica, CancellationToken cancellationToken);

    Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Overwrites the record; only the executing replica writes a live run.</summary>
    Task SaveAsync(RunRecord run, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces <paramref name="expected"/> by <paramref name="replacement"/> only if the record is unchanged and nobody
    /// holds the lease; with <paramref name="leaseHolder"/>, that replica takes the lease in the same step.
    /// </summary>
    Task<bool> TryReplaceLostAsync(RunRecord expected, RunRecord replacement, CancellationToken cancellationToken, string? leaseHolder = null);

    /// <summary>
    /// Stores the result and counts its bytes in the owner's usage, atomically; false (nothing written) when the
    /// owner's usage changed since it was read.
    /// </summary>
    Task<bool> TrySaveResultAsync(RunResultWrite write, CancellationToken cancellationToken);

    /// <summary>The bytes of the owner's stored results; entries that expired are listed for the next write to drop.</summary>
    Task<ClientRunUsage> GetResultUsageAsync(string owner, CancellationToken cancellationToken);

    Task<string?> GetResultAsync(string runId, CancellationToken cancellationToken);

    /// <summary>The owner's runs, newest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListAsync(string owner, int limit, CancellationToken cancellationToken);

    Task RenewLeasesAsync(IReadOnlyCollection<string> runIds, string replica, CancellationToken cancellationToken);

    Task<bool> HasLeaseAsync(string runId, CancellationToken cancellationToken);

    Task ReleaseLeaseAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Removes a finished run: record, result, lease, cancel flag and its entries in the owner's index and usage.</summary>
    Task DeleteAsync(RunRecord run, CancellationToken cancellationToken);

    Task RequestCancelAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="runIds"/> their owners asked to cancel.</summary>
    Task<IReadOnlyList<string>> CancelRequestedAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken);
}
