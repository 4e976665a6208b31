using TotService.Engine.Providers;
using TotService.Engine.Search;

namespace TotService.Runs;

/// <summary>
/// A run held by this replica (queued or executing). It owns its record: every change (started, progress, finished)
/// goes through one of its methods, which write the store in order under the run's own lock, so the executing worker
/// and the lease keeper never interleave a stale write with a newer one.
/// </summary>
public sealed class LocalRun : IProgress<SearchProgress>, IDisposable
{
    private readonly TaskCompletionSource<RunRecord> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _cancellation = new();
    private RunRecord _record;
    private SearchProgress? _latest;
    private bool _finished;
    private int _cancelRequested;

    public LocalRun(RunRecord record, ThoughtProblem problem, ThoughtProviders providers, SamplingGate? samplingGate = null)
    {
        _record = record;
        Problem = problem;
        Providers = providers;
        SamplingGate = samplingGate;
    }

    public string Id => _record.Id;

    public string Owner => _record.Owner;

    /// <summary>The last record written (or being written).</summary>
    public RunRecord Record => Volatile.Read(ref _record);

    public ThoughtProblem Problem { get; }

    public ThoughtProviders Providers { get; }

    /// <summary>Set for sampling runs: lends the run's slot back while the client's model is asked.</summary>
    public SamplingGate? SamplingGate { get; }

    /// <summary>Cancelled by <see cref="RequestCancel"/>; only this run can cancel it.</summary>
    public CancellationToken CancellationToken => _cancellation.Token;

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
                _cancellation.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Finished meanwhile.
            }
        }
    }

    public void Report(SearchProgress value)
    {
        Volatile.Write(ref _latest, value);
        Progressed?.Invoke(value);
    }

    /// <summary>Records that a worker started the search.</summary>
    public Task StartAsync(DateTimeOffset now, string replica, IRunStore store) =>
        WriteAsync(store, () => _record with { State = RunState.Running, StartedAt = now, Replica = replica });

    /// <summary>Saves the latest progress of a running search; nothing once the run has finished.</summary>
    public async Task SaveProgressAsync(IRunStore store)
    {
        if (LatestProgress is not { } progress)
        {
            return;
        }
        try
        {
            await WriteAsync(store, () => _record.State == RunState.Running ? _record.WithProgress(progress) : null);
        }
        catch (ObjectDisposedException)
        {
            // Finished and disposed meanwhile.
        }
    }

    /// <summary>
    /// Writes the final record (the executor stored the result before), then releases the lease. Only after that does
    /// the record in memory say the run ended, so a status answered from memory never sends a client to a missing result.
    /// </summary>
    public async Task FinishAsync(RunRecord final, IRunStore store, Action<Exception> onStoreError)
    {
        await _writeLock.WaitAsync();
        try
        {
            await store.SaveAsync(final, CancellationToken.None);
            await store.ReleaseLeaseAsync(Id, CancellationToken.None);
        }
        catch (Exception ex)
        {
            onStoreError(ex);
        }
        finally
        {
            _finished = true;
            Volatile.Write(ref _record, final);
            _writeLock.Release();
        }
        _completion.TrySetResult(final);
    }

    public void Dispose()
    {
        _cancellation.Dispose();
        _writeLock.Dispose();
    }

    /// <param name="next">The record to write, or null to write nothing.</param>
    private async Task WriteAsync(IRunStore store, Func<RunRecord?> next)
    {
        await _writeLock.WaitAsync();
        try
        {
            if (_finished || next() is not { } record)
            {
                return;
            }
            Volatile.Write(ref _record, record);
            await store.SaveAsync(record, CancellationToken.None);
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
