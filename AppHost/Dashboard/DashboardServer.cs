using System.Globalization;
using AppHost.Hosting;
using AppHost.Hosting.Orchestration;
using AppHost.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AppHost.Dashboard;

/// <summary>
/// The AppHost's dashboard: a Kestrel app inside the AppHost process on a loopback port, started once ports are
/// allocated and stopped with the app model. It reads resource state and console output straight from the
/// orchestrator, and metrics from its own scrapes of every replica.
/// </summary>
public sealed class DashboardServer(DashboardOptions options) : IDistributedApplicationLifecycleHook
{
    private readonly DashboardAuthentication _authentication = new();
    private WebApplication? _web;
    private DistributedApplication? _app;
    private MetricsCollector? _collector;
    private int _stopped;

    public DashboardOptions Options { get; } = options;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The dashboard has not started.");

    public MetricsCollector Collector => _collector ?? throw new InvalidOperationException("The dashboard has not started.");

    /// <summary>Where the dashboard listens (without the token), once started.</summary>
    public Uri? Url { get; private set; }

    /// <summary>The one-time login link printed on the console; it carries the browser token.</summary>
    internal Uri? LoginUrl => Url is null ? null : new Uri(Url, $"{DashboardAuthentication.LoginPath}?t={_authentication.Token}");

    internal string BrowserToken => _authentication.Token;

    /// <summary>Every route the dashboard serves, for tests that check each one is protected.</summary>
    internal IReadOnlyList<string> Routes => _web is null
        ? []
        : [.. _web.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))];

    public async Task AfterEndpointsAllocatedAsync(DistributedApplication app, CancellationToken cancellationToken)
    {
        _app = app;
        var port = app.Model.Options.RandomPorts || Options.Port == 0 ? PortAllocator.FreePort() : Options.Port;
        _collector = new MetricsCollector(app, Options.ScrapeInterval, TimeProvider.System);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "AppHost.Dashboard", Args = [] });
        // No logging providers: request logs would carry the login token, and the console belongs to the resources.
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));

        var web = builder.Build();
        web.Use(_authentication.InvokeAsync);
        _authentication.MapLogin(web);
        web.MapDashboardAssets();
        web.MapDashboardApi(this);

        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            // The app model runs without its dashboard rather than not at all.
            await web.DisposeAsync();
            Console.Error.WriteLine($"Dashboard not started: port {port} is in use ({ex.Message}). Set AppHost__Dashboard__Port to another port.");
            return;
        }
        _web = web;
        Url = new Uri($"http://localhost:{port.ToString(CultureInfo.InvariantCulture)}/");
        _collector.Start();
        if (app.Model.Options.ConsoleOutput)
        {
            Console.WriteLine($"Dashboard: {LoginUrl}");
        }
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }
        if (_collector is not null)
        {
            await _collector.DisposeAsync();
        }
        if (_web is not null)
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }
    }
}
