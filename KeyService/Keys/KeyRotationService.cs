using System.Threading.Channels;
using KeyService.Options;
using Microsoft.Extensions.Options;

namespace KeyService.Keys;

/// <summary>
/// Drives the lifecycle: at start, every <see cref="KeyServiceOptions.JwksRefreshCheckInterval"/> and whenever another
/// replica announces a change, it re-reads the ring and lets <see cref="KeyRingManager"/> rotate or prune.
/// Failures are logged and retried on the next tick; the cached ring keeps serving meanwhile.
/// </summary>
public sealed class KeyRotationService(
    KeyRingManager manager,
    IKeyRingChangeFeed changeFeed,
    IOptions<KeyServiceOptions> options,
    TimeProvider time,
    ILogger<KeyRotationService> logger) : BackgroundService
{
    private static readonly TimeSpan FailureRetry = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> _wakeUp = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscribed = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = options.Value.JwksRefreshCheckInterval;
            try
            {
                subscribed = subscribed || await TrySubscribeAsync(stoppingToken);
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Key ring check failed; retrying in {RetryDelay}", FailureRetry);
                delay = FailureRetry;
            }
            await WaitAsync(delay, stoppingToken);
        }
    }

    /// <summary>One re-read and lifecycle check; what each tick does.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await manager.ReloadAsync(cancellationToken);
        await manager.EnsureAsync(rotateNow: false, cancellationToken);
    }

    private async Task<bool> TrySubscribeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await changeFeed.SubscribeAsync(() => _wakeUp.Writer.TryWrite(true), stoppingToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Retried on the next tick; meanwhile the periodic re-read still converges.
            logger.LogWarning(ex, "Could not subscribe to key ring change notifications");
            return false;
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(delay, time);
        using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await _wakeUp.Reader.WaitToReadAsync(tick.Token);
            _wakeUp.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The periodic tick.
        }
    }
}
