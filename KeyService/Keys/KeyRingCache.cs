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

    /// <summary>
    /// Whether the ring has been read from the store at least once. Until then this replica does not know which keys
    /// exist, which is not the same as knowing that none do (an empty ring, before the first key is created).
    /// </summary>
    public bool Loaded => !ReferenceEquals(_current, KeyRingSnapshot.Empty);

    public bool StoreReachable => _storeReachable;

    public void Update(KeyRing ring, byte[] documentHash) => _current = new KeyRingSnapshot(ring, documentHash);

    public void ReportStore(bool reachable) => _storeReachable = reachable;
}
