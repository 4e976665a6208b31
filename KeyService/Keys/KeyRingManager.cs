using System.Security.Cryptography;
using KeyService.Diagnostics;

namespace KeyService.Keys;

/// <summary>
/// Keeps this replica's <see cref="KeyRingCache"/> in step with the store and applies <see cref="KeyLifecycle"/>.
/// Every change happens under <see cref="IKeyRingLock"/> on a ring re-read inside the lock, so concurrent replicas
/// create exactly one key and all of them then read the same ring.
/// </summary>
public sealed class KeyRingManager(
    IKeyRingStore store,
    IKeyRingLock ringLock,
    IKeyRingChangeFeed changeFeed,
    KeyRingSerializer serializer,
    KeyProtector protector,
    KeyLifecycle lifecycle,
    RsaKeyFactory keyFactory,
    KeyRingCache cache,
    KeyRingMetrics metrics,
    KeyServiceTelemetry telemetry,
    AuditLog audit,
    TimeProvider time,
    ILogger<KeyRingManager> logger)
{
    /// <summary>How long a change waits for another replica's rotation to finish.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(10);

    /// <summary>Keys this close to removal are not restored, so replicas with slightly different clocks never flap.</summary>
    private static readonly TimeSpan RestoreMargin = TimeSpan.FromMinutes(5);

    // Set when the store lost keys we hold (e.g. Redis restarted without persistence): the next check restores them.
    private volatile bool _repairStore;

    /// <summary>Re-reads the store; keeps serving the cached ring when the store is unreachable or unreadable.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var document = await LoadAsync(cancellationToken);
        if (document is not null)
        {
            TryApply(document);
        }
        else if (cache.StoreReachable && !cache.Current.Ring.IsEmpty)
        {
            _repairStore = true;
        }
    }

    /// <summary>
    /// Applies the lifecycle (first key, scheduled rotation, removal of expired keys). With
    /// <paramref name="rotateNow"/>, starts a rotation unless one is already under way.
    /// </summary>
    /// <returns>The key waiting to sign, if any, after the call.</returns>
    public Task<KeyMetadata?> EnsureAsync(bool rotateNow, CancellationToken cancellationToken) =>
        EnsureAsync(rotateNow, AuditLog.SystemActor, cancellationToken);

    /// <param name="who">Who asked (an admin client id), for the audit of a key this call creates.</param>
    public async Task<KeyMetadata?> EnsureAsync(bool rotateNow, string who, CancellationToken cancellationToken)
    {
        var cached = cache.Current.Ring;
        if (!rotateNow && !_repairStore && !cached.IsEmpty && !lifecycle.Plan(cached.Metadata, time.GetUtcNow()).Changed)
        {
            return null;
        }

        using var activity = telemetry.Source.StartActivity("keyring.ensure");
        await using var lease = await ringLock.TryAcquireAsync(LockWait, cancellationToken);
        if (lease is null)
        {
            logger.LogInformation("Key ring lock held by another replica; skipping this lifecycle check");
            return null;
        }

        // Re-read under the lock: another replica may have rotated a moment ago.
        var document = await LoadAsync(cancellationToken, throwOnFailure: true);
        var stored = document is null ? KeyRing.Empty : ReadForUpdate(document);
        if (stored is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var lost = LostKeys(stored, now);
        var ring = lost.Count == 0 ? stored : new KeyRing([.. stored.Keys, .. lost]);
        var plan = lifecycle.Plan(ring.Metadata, now, rotateNow);
        if (!plan.Changed && lost.Count == 0)
        {
            _repairStore = false;
            if (document is not null)
            {
                TryApply(document);
            }
            return KeyLifecycle.PendingAt(ring.Metadata, now);
        }
        foreach (var key in lost)
        {
            audit.KeyWrittenBack(key.Kid, KeyLifecycle.StateNameAt(ring.Metadata, key.Metadata, now), AuditLog.SystemActor);
        }

        var keys = plan.Keep.Select(m => ring.Find(m.Kid)!.WithMetadata(m)).ToList();
        RingKey? created = null;
        if (plan.NewKey is { } schedule)
        {
            created = serializer.Seal(schedule, keyFactory.Create());
            keys.Add(created);
        }

        var next = new KeyRing(keys);
        await CommitAsync(next, cancellationToken);

        if (created is not null)
        {
            metrics.Rotation(plan.Reason);
            audit.KeyCreated(created.Kid, KeyLifecycle.StateNameAt(next.Metadata, created.Metadata, now), plan.Reason.ToString().ToLowerInvariant(),
                created.Metadata.Activates, created.Metadata.Retires, plan.Reason == RotationReason.Manual ? who : AuditLog.SystemActor);
        }
        foreach (var removed in ring.Metadata.Where(m => next.Find(m.Kid) is null))
        {
            audit.KeyRemoved(removed.Kid, "removed", AuditLog.SystemActor);
        }
        return KeyLifecycle.PendingAt(next.Metadata, now);
    }

    /// <summary>Saves <paramref name="next"/>, serves it and tells the other replicas. The caller holds the ring lock.</summary>
    public async Task CommitAsync(KeyRing next, CancellationToken cancellationToken)
    {
        var bytes = serializer.Serialize(next);
        await store.SaveAsync(bytes, cancellationToken);
        cache.ReportStore(reachable: true);
        cache.Update(next, SHA256.HashData(bytes));
        _repairStore = false;
        await NotifyAsync(cancellationToken);
    }

    private async Task<byte[]?> LoadAsync(CancellationToken cancellationToken, bool throwOnFailure = false)
    {
        try
        {
            var document = await store.LoadAsync(cancellationToken);
            if (!cache.StoreReachable)
            {
                logger.LogInformation("Key ring store {Location} is reachable again", store.Location);
            }
            cache.ReportStore(reachable: true);
            return document;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            if (cache.StoreReachable)
            {
                logger.LogWarning(ex, "Key ring store {Location} is unreachable; serving {KeyCount} cached keys",
                    store.Location, cache.Current.Ring.Keys.Count);
            }
            cache.ReportStore(reachable: false);
            if (throwOnFailure)
            {
                throw;
            }
            return null;
        }
    }

    private void TryApply(byte[] document)
    {
        var hash = SHA256.HashData(document);
        if (hash.AsSpan().SequenceEqual(cache.Current.DocumentHash))
        {
            return;
        }
        try
        {
            var ring = serializer.Deserialize(document, cache.Current.Ring);
            if (LostKeys(ring, time.GetUtcNow()).Count > 0)
            {
                // Keep what we hold (tokens signed by those keys are still in flight); the next check merges it back.
                _repairStore = true;
                return;
            }
            cache.Update(ring, hash);
            logger.LogInformation("Key ring loaded from {Location}: {KeyCount} keys, signing key {KeyId}",
                store.Location, ring.Keys.Count, ring.SigningKeyAt(time.GetUtcNow())?.Kid);
        }
        catch (Exception ex) when ((ex is CryptographicException or InvalidDataException or FormatException) && protector.IsEphemeral)
        {
            logger.LogWarning("Key ring at {Location} was written under another ephemeral key-encryption key; it will be replaced",
                store.Location);
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidDataException or FormatException)
        {
            logger.LogError(ex, "Key ring at {Location} is unreadable (wrong KeyService:KeyEncryptionKey?); keeping the cached ring",
                store.Location);
        }
    }

    /// <summary>Keys we hold that the store no longer has although their grace period is not over.</summary>
    private List<RingKey> LostKeys(KeyRing stored, DateTimeOffset now) =>
        [.. cache.Current.Ring.Keys.Where(k => stored.Find(k.Kid) is null && k.Metadata.Removes > now + RestoreMargin)];

    /// <summary>The stored ring to change; null when it cannot be read and must not be overwritten.</summary>
    private KeyRing? ReadForUpdate(byte[] document)
    {
        try
        {
            return serializer.Deserialize(document, cache.Current.Ring);
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidDataException or FormatException)
        {
            if (protector.IsEphemeral)
            {
                // Development without a configured key-encryption key: the previous run's keys are unreadable by design.
                logger.LogWarning("Replacing the key ring at {Location}: it was encrypted under another ephemeral key-encryption key",
                    store.Location);
                return KeyRing.Empty;
            }
            logger.LogError(ex, "Key ring at {Location} is unreadable; refusing to overwrite it", store.Location);
            return null;
        }
    }

    private async Task NotifyAsync(CancellationToken cancellationToken)
    {
        try
        {
            await changeFeed.PublishAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The ring is saved; other replicas still pick it up on their periodic re-read.
            logger.LogWarning(ex, "Could not notify other replicas of the key ring change");
        }
    }
}
