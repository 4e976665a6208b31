namespace TotService.Tests.Infrastructure;

/// <summary>
/// Base for tests that need TotService trusting a fake KeyService signing with <see cref="Key"/>: a fresh host per
/// test, so no test sees another's keys, sessions or counters.
/// </summary>
public abstract class SecuredHostTest : IAsyncLifetime
{
    protected TestSigningKey Key => Host.Key!;

    protected FakeAuthorizationServer AuthorizationServer => Host.AuthorizationServer!;

    protected TotServiceTestHost Host { get; private set; } = null!;

    /// <summary>Settings over <see cref="TotServiceTestHost"/>'s defaults, for a class whose tests need tighter limits.</summary>
    protected virtual IDictionary<string, string?>? Overrides => null;

    public async ValueTask InitializeAsync() => Host = await TotServiceTestHost.StartAsync(Overrides);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
