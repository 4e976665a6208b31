using System.Text;
using System.Text.Json;
using KeyService.Storage;
using Microsoft.Extensions.Options;

namespace KeyService.Authorization;

/// <summary>What a refresh token stands for; <see cref="FamilyExpires"/> is the family's absolute end.</summary>
public sealed record RefreshGrant(string Family, string ClientId, string Subject, string Resource, IReadOnlyList<string> Scopes, DateTimeOffset FamilyExpires);

/// <summary>
/// Refresh tokens rotated on every use (OAuth 2.1 section 4.3.1 for public clients): each redemption takes the token
/// and issues the next of its family. A token presented again after its use means two parties hold it, so the whole
/// family is revoked. Tokens, used-token markers and the family's liveness live in the shared store under hashes.
/// </summary>
public sealed class RefreshTokens(IGrantStore store, IOptions<AuthorizationOptions> options, TimeProvider time)
{
    /// <summary>Starts a family (after a code redemption).</summary>
    public async Task<(string Token, RefreshGrant Grant)> StartFamilyAsync(
        string clientId, string subject, string resource, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var family = GrantKey.NewSecret();
        var grant = new RefreshGrant(family, clientId, subject, resource, scopes, time.GetUtcNow() + options.Value.RefreshTokenLifetime);
        await store.SetAsync(FamilyKey(family), [1], options.Value.RefreshTokenLifetime, cancellationToken);
        return (await IssueAsync(grant, cancellationToken), grant);
    }

    /// <summary>The next token of <paramref name="grant"/>'s family.</summary>
    public async Task<string> IssueAsync(RefreshGrant grant, CancellationToken cancellationToken)
    {
        var token = GrantKey.NewSecret();
        await store.SetAsync(GrantKey.Of("rt", token), JsonSerializer.SerializeToUtf8Bytes(grant), Remaining(grant), cancellationToken);
        return token;
    }

    /// <summary>
    /// Takes <paramref name="token"/> for one rotation: its grant while its family is alive; null when unknown, expired
    /// or revoked. A token already used revokes its family.
    /// </summary>
    public async Task<(RefreshGrant? Grant, bool Reused)> RedeemAsync(string token, CancellationToken cancellationToken)
    {
        if (await store.TakeAsync(GrantKey.Of("rt", token), cancellationToken) is not { } stored)
        {
            if (await store.GetAsync(GrantKey.Of("rt-used", token), cancellationToken) is not { } family)
            {
                return (null, false);
            }
            await RevokeFamilyAsync(Encoding.UTF8.GetString(family), cancellationToken);
            return (null, true);
        }
        var grant = JsonSerializer.Deserialize<RefreshGrant>(stored)!;
        if (Remaining(grant) <= TimeSpan.Zero)
        {
            return (null, false);
        }
        await store.SetAsync(GrantKey.Of("rt-used", token), Encoding.UTF8.GetBytes(grant.Family), Remaining(grant), cancellationToken);
        return await store.GetAsync(FamilyKey(grant.Family), cancellationToken) is null ? (null, false) : (grant, false);
    }

    /// <summary>The grant of a live token without using it (revocation checks who asks).</summary>
    public async Task<RefreshGrant?> FindAsync(string token, CancellationToken cancellationToken) =>
        await store.GetAsync(GrantKey.Of("rt", token), cancellationToken) is { } stored ? JsonSerializer.Deserialize<RefreshGrant>(stored) : null;

    public Task RevokeFamilyAsync(string family, CancellationToken cancellationToken) => store.DeleteAsync(FamilyKey(family), cancellationToken);

    private TimeSpan Remaining(RefreshGrant grant) => grant.FamilyExpires - time.GetUtcNow();

    private static string FamilyKey(string family) => GrantKey.Of("rt-family", family);
}
