namespace TotService.Tests.Infrastructure;

/// <summary>
/// Base for tests that need TotService on Kestrel trusting a fake KeyService signing with <see cref="Key"/>:
/// a fresh pair per test, so no test sees another's keys, sessions or counters.
/// </summary>
public abstract class SecuredHostTest : IAsyncLifetime
{
    protected TestSigningKey Key { get; } = new();

    protected FakeAuthorizationServer AuthorizationServer { get; private set; } = null!;

    protected TotServiceTestHost Host { get; private set; } = null!;

    /// <summary>Settings over <see cref="TotServiceTestHost"/>'s defaults, for a class whose tests need tighter limits.</summary>
    protected virtual IDictionary<string, string?>? Overrides => null;

    public async ValueTask InitializeAsync()
    {
        AuthorizationServer = await FakeAuthorizationServer.StartAsync(TestSettings.Issuer, Key);
        Host = await TotServiceTestHost.StartAsync(AuthorizationServer, Overrides);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await AuthorizationServer.DisposeAsync();
        Key.Dispose();
        GC.SuppressFinalize(this);
    }
}
