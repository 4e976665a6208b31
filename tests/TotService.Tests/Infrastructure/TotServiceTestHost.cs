using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TotService.Tests.Infrastructure;

/// <summary>TotService in-process on real Kestrel (127.0.0.1, random port), wired exactly as Program.cs wires it.</summary>
public sealed class TotServiceTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TotServiceTestHost(WebApplication app, ToolInvocations invocations)
    {
        _app = app;
        Invocations = invocations;
        BaseAddress = new Uri(app.Urls.First());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TestSettings.Timeout };
    }

    public Uri BaseAddress { get; }

    public Uri McpEndpoint => new(BaseAddress, "/mcp");

    public HttpClient Http { get; }

    public ToolInvocations Invocations { get; }

    public IServiceProvider Services => _app.Services;

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

    public static async Task<TotServiceTestHost> StartAsync(
        FakeAuthorizationServer authorizationServer,
        IDictionary<string, string?>? overrides = null,
        ILoggerProvider? logs = null)
    {
        var settings = DefaultSettings(authorizationServer);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var app = Build(settings, logs);
        await app.StartAsync();
        return new TotServiceTestHost(app, app.Services.GetRequiredService<ToolInvocations>());
    }

    /// <param name="logs">Receives every record at every level; without it the host logs nothing.</param>
    public static WebApplication Build(IDictionary<string, string?> settings, ILoggerProvider? logs = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "TotService",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
        }

        builder.AddTotService();
        builder.Services.AddSingleton<ToolInvocations>();
        builder.Services.AddMcpServer().WithTools<TestTools>();

        var app = builder.Build();
        app.MapTotService();
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
