namespace TotService.Runs;

/// <summary>
/// A run's result for the store, written only if the owner's usage <paramref name="ExpectedClientRevision"/> is
/// unchanged, so two runs of one client finishing at once cannot together pass its byte limit.
/// </summary>
/// <param name="ResultBytes">UTF-8 bytes of <paramref name="ResultJson"/>, as counted against the owner's limit.</param>
/// <param name="ExpiredRuns">Usage entries whose runs expired, dropped by this write.</param>
public sealed record RunResultWrite(
    string RunId,
    string Owner,
    string ResultJson,
    long ResultBytes,
    long ExpectedClientRevision,
    IReadOnlyCollection<string> ExpiredRuns);

/// <summary>The owner's stored run results (run id → bytes), the usage revision, and entries that expired.</summary>
public sealed record ClientRunUsage(IReadOnlyDictionary<string, long> Runs, long Revision, IReadOnlyCollection<string> ExpiredRuns)
{
    public static readonly ClientRunUsage Empty = new(new Dictionary<string, long>(), 0, []);

    public long Bytes => Runs.Values.Sum();
}
