namespace KeyService.Keys;

/// <summary>
/// The schedule of one key. A key is in the JWKS from <see cref="Created"/> until <see cref="Removes"/>, and signs
/// from <see cref="Activates"/> until a successor activates (<see cref="Retires"/>).
/// </summary>
public sealed record KeyMetadata(string Kid, DateTimeOffset Created, DateTimeOffset Activates, DateTimeOffset Retires, DateTimeOffset Removes);
