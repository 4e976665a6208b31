namespace KeyService.Storage;

/// <summary>
/// Short-lived protocol state shared by every replica (codes, refresh tokens, consents, registrations), under keys
/// that are SHA-256 hashes of the secrets they stand for, so a read of the store redeems nothing.
/// </summary>
public interface IGrantStore
{
    Task SetAsync(string key, byte[] value, TimeSpan lifetime, CancellationToken cancellationToken);

    Task<byte[]?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Reads and deletes in one step: of two concurrent takers exactly one gets the value.</summary>
    Task<byte[]?> TakeAsync(string key, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Adds (or moves) <paramref name="member"/> in the expiring set <paramref name="set"/>, first dropping expired
    /// members, unless the set already holds <paramref name="capacity"/> live members other than it.
    /// </summary>
    /// <returns>False when the set was full.</returns>
    Task<bool> TryTrackAsync(string set, string member, DateTimeOffset expires, long capacity, CancellationToken cancellationToken);

    /// <summary>The live members of the expiring set <paramref name="set"/>, soonest to expire first.</summary>
    Task<IReadOnlyList<string>> MembersAsync(string set, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="member"/> from the expiring set <paramref name="set"/>.</summary>
    Task UntrackAsync(string set, string member, CancellationToken cancellationToken);
}
