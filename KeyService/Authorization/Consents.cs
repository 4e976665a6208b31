using System.Text;
using KeyService.Diagnostics;
using KeyService.Storage;
using Microsoft.Extensions.Options;

namespace KeyService.Authorization;

/// <summary>A client a person has allowed, and the scopes they allowed it.</summary>
public sealed record Consent(string ClientId, IReadOnlyList<string> Scopes);

/// <summary>
/// Scopes a person has granted a client, remembered per (person, client) in the shared store, with an expiring index
/// per person (at most <see cref="AuthorizationOptions.MaxConsentsPerPerson"/> clients) so the person can list and
/// revoke them. A refresh token works only while the consent it came from stands, so revoking one ends the client's
/// access within an access token's lifetime.
/// </summary>
public sealed class Consents(IGrantStore store, IOptions<AuthorizationOptions> options, KeyServiceMetrics metrics, TimeProvider time)
{
    public async Task<bool> CoversAsync(string subject, string clientId, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var granted = await store.GetAsync(Key(subject, clientId), cancellationToken);
        return granted is not null && scopes.All(Decode(granted).Contains);
    }

    /// <summary>Adds <paramref name="scopes"/> to what the person allowed the client (a narrower later consent takes nothing away).</summary>
    /// <returns>False, and nothing stored, when the person already allowed the most clients kept.</returns>
    public async Task<bool> RememberAsync(string subject, string clientId, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!await store.TryTrackAsync(IndexKey(subject), clientId, time.GetUtcNow() + settings.ConsentLifetime, settings.MaxConsentsPerPerson, cancellationToken))
        {
            metrics.Consent("full");
            return false;
        }
        var earlier = await store.GetAsync(Key(subject, clientId), cancellationToken) is { } granted ? Decode(granted) : [];
        var merged = settings.UserScopes.Where(s => earlier.Contains(s) || scopes.Contains(s, StringComparer.Ordinal));
        await store.SetAsync(Key(subject, clientId), Encoding.UTF8.GetBytes(string.Join(' ', merged)), settings.ConsentLifetime, cancellationToken);
        metrics.Consent("remembered");
        return true;
    }

    /// <summary>The clients the person has allowed, soonest to lapse first.</summary>
    public async Task<IReadOnlyList<Consent>> ListAsync(string subject, CancellationToken cancellationToken)
    {
        var consents = new List<Consent>();
        foreach (var clientId in await store.MembersAsync(IndexKey(subject), cancellationToken))
        {
            if (await store.GetAsync(Key(subject, clientId), cancellationToken) is { } granted)
            {
                consents.Add(new Consent(clientId, [.. Decode(granted)]));
            }
        }
        return consents;
    }

    public async Task RevokeAsync(string subject, string clientId, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(Key(subject, clientId), cancellationToken);
        await store.UntrackAsync(IndexKey(subject), clientId, cancellationToken);
        metrics.Consent("revoked");
    }

    private static HashSet<string> Decode(byte[] granted) => [.. Encoding.UTF8.GetString(granted).Split(' ', StringSplitOptions.RemoveEmptyEntries)];

    private static string Key(string subject, string clientId) => GrantKey.Of("consent", subject + "\n" + clientId);

    private static string IndexKey(string subject) => GrantKey.Of("consents-of", subject);
}
