using System.Net;
using System.Net.Sockets;
using KeyService.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyService.Tests.Infrastructure;

/// <summary>The real KeyService on real Kestrel at <c>http://127.0.0.1:0</c>, built exactly as Program.cs builds it.</summary>
public sealed class KeyServiceHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KeyServiceHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public KeyRingCache Cache => Services.GetRequiredService<KeyRingCache>();

    /// <param name="mapExtra">Routes a test adds behind the service's middleware (e.g. one that throws).</param>
    /// <param name="logs">Receives every record at every level, whatever the configured filters.</param>
    public static async Task<KeyServiceHost> StartAsync(
        IDictionary<string, string?> settings, string environment = "Production", Action<WebApplication>? mapExtra = null, RecordingLoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddInMemoryCollection([new("Logging:LogLevel:Default", "Warning")]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace);
        }
        builder.AddKeyService();

        var app = builder.Build();
        app.MapKeyService();
        mapExtra?.Invoke(app);
        await app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
        return new KeyServiceHost(app, new Uri(app.Urls.Single()));
    }

    /// <summary><see cref="StartAsync"/>, then waits (bounded) until readiness reports Healthy.</summary>
    public static async Task<KeyServiceHost> StartHealthyAsync(
        IDictionary<string, string?> settings, string environment = "Production", Action<WebApplication>? mapExtra = null, RecordingLoggerProvider? logs = null)
    {
        var host = await StartAsync(settings, environment, mapExtra, logs);
        await host.WaitForHealthAsync();
        return host;
    }

    /// <summary>
    /// A client whose connections come from <paramref name="localAddress"/> (any of 127.0.0.0/8 on Linux), so tests
    /// can play several source addresses against the one listener.
    /// </summary>
    public HttpClient ClientFrom(IPAddress localAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(localAddress, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Waits (bounded) until readiness reports <paramref name="status"/>.</summary>
    public async Task WaitForHealthAsync(string status = "Healthy", TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await Client.GetAsync(new Uri("/health", UriKind.Relative));
                last = await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }
            if (last == status)
            {
                return;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"/health stayed '{last}', expected '{status}'.");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(TimeSpan.FromSeconds(10));
        await _app.DisposeAsync();
    }
}
