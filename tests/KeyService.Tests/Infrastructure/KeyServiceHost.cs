using System.Net;
using System.Net.Sockets;
using KeyService.Keys;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KeyService.Tests.Infrastructure;

/// <summary>KeyService's own <c>Program.cs</c> in-process on real Kestrel at <c>http://127.0.0.1:0</c>, with test settings.</summary>
public sealed class KeyServiceHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly Action<IEndpointRouteBuilder>? _mapExtra;
    private readonly RecordingLoggerProvider? _logs;
    private HttpClient? _client;

    private KeyServiceHost(IDictionary<string, string?> settings, string environment, Action<IEndpointRouteBuilder>? mapExtra, RecordingLoggerProvider? logs)
    {
        _settings = new Dictionary<string, string?>(settings) { ["Logging:LogLevel:Default"] = "Warning" };
        _environment = environment;
        _mapExtra = mapExtra;
        _logs = logs;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public Uri Address => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());

    public HttpClient Client => _client ??= new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };

    public KeyRingCache Cache => Services.GetRequiredService<KeyRingCache>();

    /// <param name="mapExtra">Routes a test adds behind the service's middleware (e.g. one that throws).</param>
    /// <param name="logs">Receives every record at every level, whatever the configured filters.</param>
    public static async Task<KeyServiceHost> StartAsync(
        IDictionary<string, string?> settings, string environment = "Production", Action<IEndpointRouteBuilder>? mapExtra = null, RecordingLoggerProvider? logs = null)
    {
        var host = new KeyServiceHost(settings, environment, mapExtra, logs);
        try
        {
            await Task.Run(host.StartServer, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30));
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary><see cref="StartAsync"/>, then waits (bounded) until readiness reports Healthy.</summary>
    public static async Task<KeyServiceHost> StartHealthyAsync(
        IDictionary<string, string?> settings, string environment = "Production", Action<IEndpointRouteBuilder>? mapExtra = null, RecordingLoggerProvider? logs = null)
    {
        var host = await StartAsync(settings, environment, mapExtra, logs);
        await host.WaitForHealthAsync();
        return host;
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Read by Program.cs before the host is built, so it goes in early.
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // Again last, over appsettings.json, as the AppHost's environment variables are.
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        if (_logs is not null)
        {
            builder.ConfigureLogging(logging =>
            {
                logging.AddProvider(_logs);
                logging.AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace);
            });
        }
        if (_mapExtra is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new ExtraRoutes(_mapExtra)));
        }
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
    public Task WaitForHealthAsync(string status = "Healthy", TimeSpan? timeout = null) =>
        Readiness.WaitAsync(Client, status, timeout ?? TimeSpan.FromSeconds(30));

    public override async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await base.DisposeAsync();
    }

    /// <summary>Adds a test's routes after the service's whole pipeline, so its error handling and authentication run first.</summary>
    private sealed class ExtraRoutes(Action<IEndpointRouteBuilder> map) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.UseRouting();
            app.UseEndpoints(map);
        };
    }
}
