using AppHost.Dashboard;
using AppHost.Hosting;
using AppHost.Hosting.Testing;
using AppHost.Monitoring;
using AppHost.Tests.Infrastructure;

namespace AppHost.Tests.Monitoring.Infrastructure;

/// <summary>
/// The AppHost's real app model with its monitoring turned on (dashboard and Prometheus, both off by default under
/// the testing API), two KeyService replicas, a small alert rules file of the tests' own, and one-second scrapes.
/// </summary>
public sealed class MonitoredAppFixture : IAsyncLifetime
{
    public const string RuleGroup = "apphost-monitoring-tests";
    public const string AlertName = "AppHostMonitoringTestAlert";

    public static readonly string[] Services = ["keyservice", "totservice"];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "apphost-tests", "monitoring-" + Guid.NewGuid().ToString("N"));
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The app was not started.");

    public DashboardServer Dashboard => App.Model.LifecycleHooks.OfType<DashboardServer>().Single();

    public PrometheusConfiguration Prometheus => App.Model.LifecycleHooks.OfType<PrometheusConfiguration>().Single();

    public string RulesFile => Path.Combine(_folder, "alert-rules.yml");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await File.WriteAllTextAsync(RulesFile, $"""
            groups:
              - name: {RuleGroup}
                rules:
                  - alert: {AlertName}
                    expr: up{"{"}service="keyservice"{"}"} == 0
                    for: 1m
                    labels:
                      severity: warning
                    annotations:
                      summary: A KeyService replica is down.
            """);

        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(
            "--AppHost:Dashboard:Enabled=true",
            "--AppHost:Dashboard:ScrapeInterval=00:00:01",
            "--AppHost:Prometheus:Enabled=true",
            "--AppHost:Prometheus:ScrapeInterval=00:00:01",
            $"--AppHost:Prometheus:RulesFile={RulesFile}");
        builder.WithReplicas("keyservice", 2);
        _app = await builder.BuildAsync();
        await _app.StartAsync();
        using var timeout = new CancellationTokenSource(TestTimeouts.Startup);
        foreach (var resource in _app.ResourceNotifications.Snapshots.Select(s => s.Resource).Distinct())
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }
    }

    /// <summary>Ordinary requests (probes and scrapes do not count) to every replica, so request metrics move.</summary>
    public async Task SendTrafficAsync(int requestsPerReplica, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var service in Services)
        {
            foreach (var endpoint in App.GetEndpoints(service))
            {
                for (var i = 0; i < requestsPerReplica; i++)
                {
                    (await http.GetAsync(new Uri(endpoint, "/no-such-page"), cancellationToken)).Dispose();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            var pids = _app.ResourceNotifications.Snapshots.Where(s => s.Pid is not null).Select(s => (s.InstanceName, Pid: s.Pid!.Value)).ToList();
            await _app.DisposeAsync();
            foreach (var (instance, pid) in pids)
            {
                // Prometheus included: nothing the monitored app started may outlive it.
                if (!await ProcessInspector.WaitForExitAsync(pid, TestTimeouts.Short))
                {
                    throw new InvalidOperationException($"{instance} (PID {pid}) is still running after the app was disposed.");
                }
            }
        }
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}

/// <summary>One monitored app model shared by the browser and Prometheus tests (starting it is the slow part).</summary>
[CollectionDefinition(Name)]
public sealed class MonitoredAppCollection : ICollectionFixture<MonitoredAppFixture>
{
    public const string Name = "Monitored app model";
}
