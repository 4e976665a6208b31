extern alias TotServiceApp;

using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TotServiceProgram = TotServiceApp::Program;

namespace TotService.Tests.Infrastructure;

/// <summary>
/// TotService's own <c>Program.cs</c> in-process on real Kestrel (127.0.0.1, random port), with test settings, test
/// tools and, unless a test brings its own, a fake KeyService signing with <see cref="Key"/>.
/// </summary>
public sealed class TotServiceTestHost : WebApplicationFactory<TotServiceProgram>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly ILoggerProvider? _logs;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsAuthorizationServer;
    private HttpClient? _http;

    private TotServiceTestHost(
        IDictionary<string, string?> settings, ILoggerProvider? logs, Action<IServiceCollection>? services,
        TestSigningKey? key, FakeAuthorizationServer? authorizationServer, bool ownsAuthorizationServer)
    {
        _settings = new Dictionary<string, string?>(settings);
        _logs = logs;
        _services = services;
        Key = key;
        AuthorizationServer = authorizationServer;
        _ownsAuthorizationServer = ownsAuthorizationServer;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    /// <summary>The fake KeyService's signing key when the host started its own; null when the test brought one.</summary>
    public TestSigningKey? Key { get; }

    public FakeAuthorizationServer? AuthorizationServer { get; }

    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public Uri McpEndpoint => new(BaseAddress, "/mcp");

    /// <summary>A plain client over real HTTP to <see cref="BaseAddress"/>.</summary>
    public HttpClient Http => _http ??= new HttpClient { BaseAddress = BaseAddress, Timeout = TestSettings.Timeout };

    public ToolInvocations Invocations => Services.GetRequiredService<ToolInvocations>();

    /// <summary>Settings the AppHost would set (with a short JWKS refresh interval for tests).</summary>
    public static Dictionary<string, string?> DefaultSettings(FakeAuthorizationServer authorizationServer) => new()
    {
        ["TotService:Authority"] = "http://keyservice",
        ["services:keyservice:http:0"] = authorizationServer.BaseAddress.ToString(),
        ["TotService:Issuer"] = TestSettings.Issuer,
        ["TotService:Audience"] = TestSettings.Audience,
        ["TotService:JwksRefreshInterval"] = "00:00:01",
        ["TotService:AllowedOrigins:0"] = TestSettings.AllowedOrigin,
    };

    /// <summary>Starts the service with its own fake KeyService, whose signing key is <see cref="Key"/>.</summary>
    public static async Task<TotServiceTestHost> StartAsync(IDictionary<string, string?>? overrides = null, ILoggerProvider? logs = null)
    {
        var key = new TestSigningKey();
        var authorizationServer = await FakeAuthorizationServer.StartAsync(TestSettings.Issuer, key);
        return await StartAsync(new TotServiceTestHost(Merge(authorizationServer, overrides), logs, null, key, authorizationServer, true));
    }

    /// <summary>Starts the service trusting <paramref name="authorizationServer"/>, which the test owns.</summary>
    public static Task<TotServiceTestHost> StartAsync(
        FakeAuthorizationServer authorizationServer, IDictionary<string, string?>? overrides = null, ILoggerProvider? logs = null) =>
        StartAsync(new TotServiceTestHost(Merge(authorizationServer, overrides), logs, null, null, authorizationServer, false));

    /// <summary>A host not started yet, for tests of start-up itself (<see cref="WebApplicationFactory{T}.StartServer"/>).</summary>
    public static TotServiceTestHost Create(IDictionary<string, string?> settings, Action<IServiceCollection>? services = null) =>
        new(settings, null, services, null, null, false);

    /// <summary>A token the host's own fake KeyService would issue.</summary>
    public string Token(string subject, string scope = "tot:read tot:write") =>
        Tokens.Valid(Key ?? throw new InvalidOperationException("The test brought its own KeyService stand-in."), scope, subject);

    protected override IHost CreateHost(IHostBuilder builder)
    {
        // Read by Program.cs before the host is built (whether Redis is configured), so it goes in early.
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        // Again last, over appsettings.json, as the AppHost's environment variables are.
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            if (_logs is not null)
            {
                logging.AddProvider(_logs);
                logging.SetMinimumLevel(LogLevel.Trace);
            }
        });
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ToolInvocations>();
            services.AddMcpServer().WithTools<TestTools>();
            _services?.Invoke(services);
        });
    }

    public override async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await base.DisposeAsync();
        if (_ownsAuthorizationServer && AuthorizationServer is not null)
        {
            await AuthorizationServer.DisposeAsync();
        }
        Key?.Dispose();
    }

    private static Dictionary<string, string?> Merge(FakeAuthorizationServer authorizationServer, IDictionary<string, string?>? overrides)
    {
        var settings = DefaultSettings(authorizationServer);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        return settings;
    }

    private static async Task<TotServiceTestHost> StartAsync(TotServiceTestHost host)
    {
        try
        {
            await Task.Run(host.StartServer, TestContext.Current.CancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }
}
