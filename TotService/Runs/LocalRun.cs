using TotService.Engine.Providers;
using TotService.Engine.Search;

namespace TotService.Runs;

/// <summary>
/// A run held by this replica (queued or executing): its providers, its cancellation, its live progress, and a
/// lock that serialises the record writes of the worker and the heartbeat.
/// </summary>
public sealed class LocalRun : IProgress<SearchProgress>, IDisposable
{
    private readonly TaskCompletionSource<RunRecord> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SearchProgress? _latest;
    private int _cancelRequested;
    private int _claimed;

    public LocalRun(RunRecord record, ThoughtProblem problem, ThoughtProviders providers)
    {
        Record = record;
        Problem = problem;
        Providers = providers;
    }

    public string Id => Record.Id;

    /// <summary>The last record written (or about to be); guarded by <see cref="WriteLock"/>.</summary>
    public RunRecord Record { get; set; }

    public ThoughtProblem Problem { get; }

    public ThoughtProviders Providers { get; }

    public CancellationTokenSource Cancellation { get; } = new();

    public SemaphoreSlim WriteLock { get; } = new(1, 1);

    /// <summary>Set once the final record is written; the heartbeat stops saving progress.</summary>
    public bool Finished { get; set; }

    public bool CancelRequested => Volatile.Read(ref _cancelRequested) == 1;

    public SearchProgress? LatestProgress => Volatile.Read(ref _latest);

    /// <summary>Raised after every expansion, on the search's thread: handlers must be quick.</summary>
    public event Action<SearchProgress>? Progressed;

    public Task<RunRecord> Completion => _completion.Task;

    /// <summary>The record with the freshest progress, for status calls answered by this replica.</summary>
    public RunRecord Snapshot() =>
        LatestProgress is { } progress && Record.State == RunState.Running ? Record.WithProgress(progress) : Record;

    /// <summary>The owner asked to stop: the search ends at its next check (before each expansion, and in provider calls).</summary>
    public void RequestCancel()
    {
        if (Interlocked.Exchange(ref _cancelRequested, 1) == 0)
        {
            try
            {
                Cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Finished meanwhile.
            }
        }
    }

    /// <summary>
    /// Taken exactly once: by the worker that starts the run, or by a cancel that finishes it while still queued.
    /// </summary>
    public bool TryClaim() => Interlocked.Exchange(ref _claimed, 1) == 0;

    public void Report(SearchProgress value)
    {
        Volatile.Write(ref _latest, value);
        Progressed?.Invoke(value);
    }

    public void Complete(RunRecord final) => _completion.TrySetResult(final);

    public void Dispose()
    {
        Cancellation.Dispose();
        WriteLock.Dispose();
    }
}
