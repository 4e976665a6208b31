namespace KeyService.Keys;

/// <summary>Timestamps for a key that does not exist yet (its <c>kid</c> comes from the generated key).</summary>
public sealed record KeySchedule(DateTimeOffset Created, DateTimeOffset Activates, DateTimeOffset Retires, DateTimeOffset Removes)
{
    public KeyMetadata WithKid(string kid) => new(kid, Created, Activates, Retires, Removes);
}
