namespace KeyService.Tests.Infrastructure;

/// <summary>One KeyService on Kestrel (file store, own data folder) shared by the tests of a class.</summary>
public sealed class KeyServiceFixture : IAsyncLifetime
{
    private KeyServiceHost? _host;

    public KeyServiceHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public HttpClient Client => Host.Client;

    public async ValueTask InitializeAsync()
    {
        _host = await KeyServiceHost.StartAsync(TestSettings.Create());
        await _host.WaitForHealthAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
