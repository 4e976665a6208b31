using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AppHost.Monitoring;
using AppHost.Tests.Infrastructure;
using AppHost.Tests.Monitoring.Infrastructure;

namespace AppHost.Tests.Monitoring;

/// <summary>Debian's Prometheus as a resource of the app model: it scrapes every service replica and loads the alert rules.</summary>
[Collection(MonitoredAppCollection.Name)]
public sealed class PrometheusResourceTests(MonitoredAppFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    private HttpClient PrometheusClient()
    {
        Assert.True(File.Exists(PrometheusOptions.DebianBinary), $"{PrometheusOptions.DebianBinary} is missing: {PrometheusOptions.InstallHint} (.ci/run does).");
        Assert.NotNull(fixture.Prometheus.Resource);
        return new HttpClient { BaseAddress = fixture.App.GetEndpoint("prometheus"), Timeout = TimeSpan.FromSeconds(5) };
    }

    [Fact]
    public async Task Targets_api_shows_every_service_replica_up()
    {
        using var http = PrometheusClient();
        var expected = fixture.App.ResourceNotifications.Snapshots
            .Where(s => s.Kind == "Project")
            .ToDictionary(s => $"localhost:{new Uri(s.Urls[0]).Port}", s => s.InstanceName);
        Assert.Equal(3, expected.Count);

        var deadline = DateTime.UtcNow + Wait;
        JsonArray targets;
        while (true)
        {
            var response = await http.GetFromJsonAsync<JsonObject>(new Uri("/api/v1/targets?state=active", UriKind.Relative), TestContext.Current.CancellationToken);
            targets = response!["data"]!["activeTargets"]!.AsArray();
            var up = targets.Where(t => (string?)t!["health"] == "up").Select(t => (string)t!["labels"]!["instance"]!).ToHashSet();
            if (expected.Keys.All(up.Contains) || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }

        foreach (var (address, instance) in expected)
        {
            var target = Assert.Single(targets, t => (string?)t!["labels"]!["instance"] == address)!;
            Assert.True((string?)target["health"] == "up", $"{instance} at {address}: {target.ToJsonString()}");
            Assert.Equal(instance, (string?)target["labels"]!["replica"]);
            Assert.Equal(instance.Split('-')[0], (string?)target["labels"]!["job"]);
            Assert.EndsWith("/metrics", (string?)target["scrapeUrl"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Rules_api_shows_the_alert_rules_loaded()
    {
        using var http = PrometheusClient();
        var deadline = DateTime.UtcNow + Wait;
        JsonArray groups;
        do
        {
            var response = await http.GetFromJsonAsync<JsonObject>(new Uri("/api/v1/rules", UriKind.Relative), TestContext.Current.CancellationToken);
            groups = response!["data"]!["groups"]!.AsArray();
            // Loaded, and evaluated at least once (until then a rule's health is "unknown").
            if (groups.SelectMany(g => g!["rules"]!.AsArray()).Any(r => (string?)r!["health"] is "ok" or "err"))
            {
                break;
            }
            await Task.Delay(500, TestContext.Current.CancellationToken);
        }
        while (DateTime.UtcNow < deadline);

        var group = Assert.Single(groups, g => (string?)g!["name"] == MonitoredAppFixture.RuleGroup)!;
        Assert.Equal(fixture.RulesFile, (string?)group["file"]);
        var rule = Assert.Single(group["rules"]!.AsArray())!;
        Assert.Equal(MonitoredAppFixture.AlertName, (string?)rule["name"]);
        Assert.Equal("alerting", (string?)rule["type"]);
        Assert.Equal("ok", (string?)rule["health"]);
    }

    [Fact]
    public async Task Generated_configuration_lives_in_the_data_folder_and_listens_on_loopback()
    {
        var snapshot = Assert.Single(fixture.App.ResourceNotifications.SnapshotsOf("prometheus"));
        var commandLine = ProcessInspector.CommandLine(snapshot.Pid!.Value);
        var port = fixture.App.GetEndpoint("prometheus").Port;
        Assert.Contains($"--web.listen-address=127.0.0.1:{port}", commandLine, StringComparison.Ordinal);
        Assert.Contains($"--config.file={fixture.Prometheus.ConfigFile}", commandLine, StringComparison.Ordinal);
        Assert.StartsWith(fixture.App.Model.Options.DataDirectory, fixture.Prometheus.ConfigFile, StringComparison.Ordinal);
        Assert.Contains($"--storage.tsdb.path={Path.Combine(fixture.App.Model.Options.DataDirectory, "prometheus", "data")}", commandLine, StringComparison.Ordinal);
        var config = await File.ReadAllTextAsync(fixture.Prometheus.ConfigFile!, TestContext.Current.CancellationToken);
        Assert.Contains(fixture.RulesFile, config, StringComparison.Ordinal);
    }

    [Fact]
    public async Task By_default_Prometheus_loads_the_kubernetes_alert_rules_and_targets_carry_their_labels()
    {
        // The default rules file is the one the Kubernetes publisher writes (aspirate-output), so local and cluster alerts agree.
        var rulesFile = new AppHost.Monitoring.PrometheusOptions().RulesFile;
        Assert.EndsWith(Path.Combine("aspirate-output", "prometheus", "alert-rules.yaml"), rulesFile, StringComparison.Ordinal);
        Assert.Contains("alert: ServiceDown", await File.ReadAllTextAsync(rulesFile, TestContext.Current.CancellationToken), StringComparison.Ordinal);

        var config = await File.ReadAllTextAsync(fixture.Prometheus.ConfigFile!, TestContext.Current.CancellationToken);
        Assert.Contains("namespace: \"tot-mcp\"", config, StringComparison.Ordinal);
        Assert.Contains("pod: \"keyservice-1\"", config, StringComparison.Ordinal);
    }
}
