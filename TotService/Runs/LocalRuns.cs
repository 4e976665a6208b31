using System.Collections.Concurrent;

namespace TotService.Runs;

/// <summary>The runs this replica holds (queued or executing), by id.</summary>
public sealed class LocalRuns
{
    private readonly ConcurrentDictionary<string, LocalRun> _runs = new(StringComparer.Ordinal);

    public int Count => _runs.Count;

    public IReadOnlyList<LocalRun> All => [.. _runs.Values];

    public void Add(LocalRun run) => _runs[run.Id] = run;

    public bool TryGet(string runId, out LocalRun run) => _runs.TryGetValue(runId, out run!);

    public void Remove(string runId) => _runs.TryRemove(runId, out _);

    /// <summary>Asks a run this replica holds to stop (a queued one stops waiting at once); false when it holds none.</summary>
    public bool TryCancel(string runId)
    {
        if (!_runs.TryGetValue(runId, out var run))
        {
            return false;
        }
        run.RequestCancel();
        return true;
    }
}
