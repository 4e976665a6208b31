using KeyService.Keys;
using StackExchange.Redis;

namespace KeyService.Storage;

/// <summary>
/// Lease lock <c>SET keys:lock &lt;token&gt; NX PX</c>: one replica changes the ring at a time, and a replica that
/// dies while holding it blocks the others for one lease at most. Released only by the holder (compare and delete).
/// </summary>
public sealed class RedisKeyRingLock(IConnectionMultiplexer redis, TimeProvider time) : IKeyRingLock
{
    public const string LockKey = "keys:lock";

    /// <summary>Far longer than a rotation (RSA-4096 generation plus two round trips) takes.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public async Task<IAsyncDisposable?> TryAcquireAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        var token = Guid.NewGuid().ToString("N");
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            if (await database.StringSetAsync(LockKey, token, LeaseTime, When.NotExists).WaitAsync(cancellationToken))
            {
                return new Lease(database, token);
            }
            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }
            await Task.Delay(Poll, time, cancellationToken);
        }
    }

    private sealed class Lease(IDatabase database, string token) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await database.LockReleaseAsync(LockKey, token);
    }
}
