using System.Text;
using KeyService.Storage;
using Microsoft.Extensions.Options;

namespace KeyService.Authorization;

/// <summary>Scopes a person has granted a client, remembered per (person, client) in the shared store.</summary>
public sealed class Consents(IGrantStore store, IOptions<AuthorizationOptions> options)
{
    public async Task<bool> CoversAsync(string subject, string clientId, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var granted = await store.GetAsync(Key(subject, clientId), cancellationToken);
        return granted is not null && scopes.All(Encoding.UTF8.GetString(granted).Split(' ').Contains);
    }

    public Task RememberAsync(string subject, string clientId, IReadOnlyList<string> scopes, CancellationToken cancellationToken) =>
        store.SetAsync(Key(subject, clientId), Encoding.UTF8.GetBytes(string.Join(' ', scopes)), options.Value.ConsentLifetime, cancellationToken);

    private static string Key(string subject, string clientId) => GrantKey.Of("consent", subject + "\n" + clientId);
}
