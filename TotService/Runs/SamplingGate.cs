namespace TotService.Runs;

/// <summary>
/// Lets a sampling run lend its execution slot back to the <see cref="RunScheduler"/> while it only waits for the
/// client's model, and take a slot again (in its client's turn) before it goes on: clients that answer slowly or
/// never cannot hold the replica's slots, while the work the server itself does stays bounded by them.
/// </summary>
// Not disposable: a model call cancelled at the end of a run may still be leaving, and SemaphoreSlim needs disposal
// only once its wait handle is used, which WaitAsync never does.
public sealed class SamplingGate
{
    private readonly SemaphoreSlim _transitions = new(1, 1);
    private RunScheduler? _scheduler;
    private string _client = "";
    private int _waiting;
    private bool _holding;
    private bool _closed;

    /// <summary>Called by the executor once the run holds a slot.</summary>
    public void Bind(RunScheduler scheduler, string client)
    {
        _scheduler = scheduler;
        _client = client;
        _holding = true;
    }

    /// <summary>Before a request to the client: the first of the run's concurrent requests gives the slot back.</summary>
    public async Task EnterAsync(CancellationToken cancellationToken)
    {
        await _transitions.WaitAsync(cancellationToken);
        try
        {
            if (++_waiting == 1 && _holding)
            {
                _holding = false;
                _scheduler!.Release();
            }
        }
        finally
        {
            _transitions.Release();
        }
    }

    /// <summary>After a request to the client: the last one to return takes a slot again before the search goes on.</summary>
    public async Task ExitAsync(CancellationToken cancellationToken)
    {
        await _transitions.WaitAsync(CancellationToken.None);
        try
        {
            if (--_waiting == 0 && !_holding && !_closed && _scheduler is not null)
            {
                await _scheduler.AcquireAsync(_client, cancellationToken);
                _holding = true;
            }
        }
        finally
        {
            _transitions.Release();
        }
    }

    /// <summary>At the end of the run: gives the slot back if the run holds one; later exits take none.</summary>
    public async Task CloseAsync()
    {
        await _transitions.WaitAsync(CancellationToken.None);
        try
        {
            _closed = true;
            if (_holding)
            {
                _holding = false;
                _scheduler!.Release();
            }
        }
        finally
        {
            _transitions.Release();
        }
    }
}
