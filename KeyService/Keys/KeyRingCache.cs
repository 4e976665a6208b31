namespace KeyService.Keys;

/// <summary>
/// What this replica holds: the last ring it read or wrote, and whether the store answered last time. Readers get an
/// immutable snapshot; writers swap the whole snapshot.
/// </summary>
public sealed class KeyRingCache
{
    private volatile KeyRingSnapshot _current = KeyRingSnapshot.Empty;
    private volatile bool _storeReachable = true;

    public KeyRingSnapshot Current => _current;

    public bool StoreReachable => _storeReachable;

    public void Update(KeyRing ring, byte[] documentHash) => _current = new KeyRingSnapshot(ring, documentHash);

    public void ReportStore(bool reachable) => _storeReachable = reachable;
}
