using System.Text.Json;
using KeyService.Storage;
using Microsoft.Extensions.Options;

namespace KeyService.Authorization;

/// <summary>What a code stands for: everything its redemption must match, and who granted it.</summary>
public sealed record CodeGrant(
    string ClientId, string RedirectUri, string CodeChallenge, string Resource, IReadOnlyList<string> Scopes, string Subject);

/// <summary>
/// Authorization codes in the shared store under their hash, living <see cref="AuthorizationOptions.CodeLifetime"/>.
/// Redemption takes the entry (single use across replicas) and leaves a marker, so a replayed code revokes the
/// refresh token family its first redemption started (RFC 6749 section 4.1.2).
/// </summary>
public sealed class AuthorizationCodes(IGrantStore store, IOptions<AuthorizationOptions> options, ClientRegistrations registrations)
{
    public async Task<string> IssueAsync(CodeGrant grant, CancellationToken cancellationToken)
    {
        // A code issued to a registered client is a sign-in with it, which keeps its registration.
        await registrations.MarkUsedAsync(grant.ClientId, cancellationToken);
        var code = GrantKey.NewSecret();
        await store.SetAsync(GrantKey.Of("code", code), JsonSerializer.SerializeToUtf8Bytes(grant), options.Value.CodeLifetime, cancellationToken);
        return code;
    }

    /// <summary>The grant, once; null for an unknown, expired or already redeemed code (with the family it started, if replayed).</summary>
    public async Task<(CodeGrant? Grant, string? ReplayedFamily)> RedeemAsync(string code, CancellationToken cancellationToken)
    {
        if (await store.TakeAsync(GrantKey.Of("code", code), cancellationToken) is { } stored)
        {
            return (JsonSerializer.Deserialize<CodeGrant>(stored), null);
        }
        var family = await store.GetAsync(GrantKey.Of("code-used", code), cancellationToken);
        return (null, family is null ? null : System.Text.Encoding.UTF8.GetString(family));
    }

    /// <summary>Remembers which refresh token family a redeemed code started, for as long as a replay could come.</summary>
    public Task MarkRedeemedAsync(string code, string family, CancellationToken cancellationToken) =>
        store.SetAsync(GrantKey.Of("code-used", code), System.Text.Encoding.UTF8.GetBytes(family), options.Value.CodeLifetime * 2, cancellationToken);
}
