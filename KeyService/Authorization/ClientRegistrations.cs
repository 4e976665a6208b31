using System.Text.Json;
using KeyService.Diagnostics;
using KeyService.Storage;
using Microsoft.Extensions.Options;

namespace KeyService.Authorization;

/// <summary>A dynamically registered public client, as stored.</summary>
public sealed record RegisteredClient(string ClientId, string? ClientName, string? ClientUri, string? LogoUri, IReadOnlyList<string> RedirectUris, long IssuedAt);

/// <summary>
/// RFC 7591 registrations in the shared store, bounded: at most <see cref="AuthorizationOptions.MaxRegistrations"/>
/// alive (an expiring set counts them), each dropped after <see cref="AuthorizationOptions.UnusedRegistrationLifetime"/>
/// unless someone signs in with it, which keeps it for <see cref="AuthorizationOptions.RegistrationLifetime"/>.
/// </summary>
public sealed class ClientRegistrations(IGrantStore store, IOptions<AuthorizationOptions> options, KeyServiceMetrics metrics, TimeProvider time)
    : IAuthorizationClientSource
{
    private const string Set = "registrations";

    /// <summary>Registered ids carry this prefix, so they never collide with configured ids or metadata document URLs.</summary>
    public const string IdPrefix = "dcr_";

    /// <returns>The stored client, or null when the registration count is at its cap.</returns>
    public async Task<RegisteredClient?> RegisterAsync(string? name, string? clientUri, string? logoUri, IReadOnlyList<string> redirectUris, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var client = new RegisteredClient(IdPrefix + GrantKey.NewSecret(), name, clientUri, logoUri, redirectUris, now.ToUnixTimeSeconds());
        var lifetime = options.Value.UnusedRegistrationLifetime;
        if (!await store.TryTrackAsync(Set, client.ClientId, now + lifetime, options.Value.MaxRegistrations, cancellationToken))
        {
            metrics.ClientRegistration("full");
            return null;
        }
        await store.SetAsync(Key(client.ClientId), JsonSerializer.SerializeToUtf8Bytes(client), lifetime, cancellationToken);
        metrics.ClientRegistration("created");
        return client;
    }

    public async Task<AuthorizationClient?> FindAsync(string clientId, CancellationToken cancellationToken) =>
        clientId.StartsWith(IdPrefix, StringComparison.Ordinal) && await store.GetAsync(Key(clientId), cancellationToken) is { } stored
        && JsonSerializer.Deserialize<RegisteredClient>(stored) is { } client
            ? new AuthorizationClient(client.ClientId, client.ClientName, client.ClientUri, client.LogoUri, client.RedirectUris)
            : null;

    /// <summary>Someone signed in with the client: keep it for <see cref="AuthorizationOptions.RegistrationLifetime"/>.</summary>
    public async Task MarkUsedAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!clientId.StartsWith(IdPrefix, StringComparison.Ordinal) || await store.GetAsync(Key(clientId), cancellationToken) is not { } stored)
        {
            return;
        }
        var lifetime = options.Value.RegistrationLifetime;
        if (await store.TryTrackAsync(Set, clientId, time.GetUtcNow() + lifetime, options.Value.MaxRegistrations, cancellationToken))
        {
            await store.SetAsync(Key(clientId), stored, lifetime, cancellationToken);
        }
    }

    private static string Key(string clientId) => "client:" + clientId;
}
