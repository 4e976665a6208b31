namespace KeyService.Keys;

/// <summary>Where the serialized (already encrypted) key ring document lives. One document per ring.</summary>
public interface IKeyRingStore
{
    /// <summary>Human-readable location for logs (never contains credentials).</summary>
    string Location { get; }

    /// <summary>The stored document, or null when the store holds no ring yet.</summary>
    Task<byte[]?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the document atomically: readers see the old or the new ring, never a mix.</summary>
    Task SaveAsync(ReadOnlyMemory<byte> document, CancellationToken cancellationToken);
}
