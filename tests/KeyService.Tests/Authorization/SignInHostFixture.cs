using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Authorization;

/// <summary>One Development KeyService with the sign-in on, shared by a class whose tests change no state they rely on.</summary>
public sealed class SignInHostFixture : IAsyncLifetime
{
    private KeyServiceHost? _host;

    public KeyServiceHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
