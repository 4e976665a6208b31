using System.Security.Cryptography;

namespace KeyService.Keys;

/// <summary>How a restore ended.</summary>
public enum RestoreOutcome
{
    Restored,
    NotABackup,
    OtherKeyEncryptionKey,
    StoreNotEmpty,
    StoreUnreadable,
    Busy,
}

/// <summary>What a restore did: the outcome, the backup's keys it put back in the store, the store's keys the backup lacks.</summary>
public sealed record RestoreResult(RestoreOutcome Outcome, IReadOnlyList<string> RestoredKeyIds, int ForeignKeys = 0);

/// <summary>
/// Export and restore of the key ring in its stored form: private keys stay AES-256-GCM envelopes under the
/// key-encryption key, so a backup is as safe at rest as the store and useless without that key.
/// </summary>
/// <remarks>
/// A restore adds the backup's keys and never removes one: the store's own keys may have signed tokens still in
/// flight. It is refused while the store holds keys the backup lacks (it is not empty for this backup) unless forced.
/// </remarks>
public sealed class KeyRingBackup(
    IKeyRingStore store,
    IKeyRingLock ringLock,
    KeyRingSerializer serializer,
    KeyRingManager manager,
    KeyRingCache cache,
    TimeProvider time)
{
    /// <summary>The ring this replica serves, serialized as stored; works while the store is away.</summary>
    public (byte[] Document, int KeyCount) Export()
    {
        var ring = cache.Current.Ring;
        return (serializer.Serialize(ring), ring.Keys.Count);
    }

    public async Task<RestoreResult> RestoreAsync(ReadOnlyMemory<byte> backup, bool force, CancellationToken cancellationToken)
    {
        KeyRing restored;
        try
        {
            // Decrypting every key against an empty ring proves the backup was made under this key-encryption key.
            restored = serializer.Deserialize(backup.Span, KeyRing.Empty);
        }
        catch (CryptographicException)
        {
            return new RestoreResult(RestoreOutcome.OtherKeyEncryptionKey, []);
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException)
        {
            return new RestoreResult(RestoreOutcome.NotABackup, []);
        }
        if (restored.IsEmpty)
        {
            return new RestoreResult(RestoreOutcome.NotABackup, []);
        }

        await using var lease = await ringLock.TryAcquireAsync(KeyRingManager.LockWait, cancellationToken);
        if (lease is null)
        {
            return new RestoreResult(RestoreOutcome.Busy, []);
        }
        var document = await store.LoadAsync(cancellationToken);
        KeyRing stored;
        try
        {
            stored = document is null ? KeyRing.Empty : serializer.Deserialize(document, cache.Current.Ring);
        }
        catch (Exception ex) when (ex is CryptographicException or InvalidDataException or FormatException)
        {
            return new RestoreResult(RestoreOutcome.StoreUnreadable, []);
        }

        var foreign = stored.Keys.Count(k => restored.Find(k.Kid) is null);
        if (foreign > 0 && !force)
        {
            return new RestoreResult(RestoreOutcome.StoreNotEmpty, [], foreign);
        }
        var now = time.GetUtcNow();
        // Keys this replica serves that the store lost stay too, as the lifecycle check would write them back anyway.
        var held = cache.Current.Ring.Keys.Where(k => stored.Find(k.Kid) is null && k.Metadata.Removes > now).ToList();
        var missing = restored.Keys.Where(k => stored.Find(k.Kid) is null && k.Metadata.Removes > now).ToList();
        if (missing.Count > 0 || held.Count > 0)
        {
            await manager.CommitAsync(new KeyRing([.. stored.Keys, .. held, .. missing.Where(k => !held.Exists(h => h.Kid == k.Kid))]), cancellationToken);
        }
        return new RestoreResult(RestoreOutcome.Restored, [.. missing.Select(k => k.Kid)], foreign);
    }
}
