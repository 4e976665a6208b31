namespace KeyService.Keys;

/// <summary>An immutable set of keys; replaced as a whole whenever the ring changes.</summary>
public sealed class KeyRing
{
    public static readonly KeyRing Empty = new([]);

    public KeyRing(IReadOnlyList<RingKey> keys)
    {
        Keys = keys;
        Metadata = [.. keys.Select(k => k.Metadata)];
    }

    public IReadOnlyList<RingKey> Keys { get; }

    public IReadOnlyList<KeyMetadata> Metadata { get; }

    public bool IsEmpty => Keys.Count == 0;

    public RingKey? SigningKeyAt(DateTimeOffset now) =>
        KeyLifecycle.SigningKeyAt(Metadata, now) is { } signing ? Find(signing.Kid) : null;

    public RingKey? Find(string kid) => Keys.FirstOrDefault(k => k.Kid == kid);
}
