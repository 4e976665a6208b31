using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Operations.Tests.Infrastructure;

namespace Operations.Tests.Grafana;

/// <summary>
/// The Grafana dashboard imports anywhere (datasource chosen at import), every query is valid PromQL, and every
/// metric it reads is one the services (or the cluster's standard exporters) really produce.
/// </summary>
public sealed partial class DashboardTests
{
    private static readonly string Dashboard = Repository.PathOf("deploy", "grafana", "tot-mcp.json");
    private static readonly string ExportedList = Repository.PathOf("deploy", "grafana", "exported-metrics.txt");
    private static readonly string ClusterList = Repository.PathOf("deploy", "grafana", "cluster-metrics.txt");

    [Fact]
    public void It_is_importable_with_the_datasource_chosen_at_import()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(Dashboard))!.AsObject();
        var input = Assert.Single(dashboard["__inputs"]!.AsArray())!;
        Assert.Equal(("datasource", "prometheus"), (input["type"]!.GetValue<string>(), input["pluginId"]!.GetValue<string>()));
        var variable = Assert.Single(dashboard["templating"]!["list"]!.AsArray(), v => v!["type"]!.GetValue<string>() == "datasource")!;
        Assert.Equal("prometheus", variable["query"]!.GetValue<string>());
        Assert.Equal("${" + input["name"] + "}", variable["current"]!["value"]!.GetValue<string>());
        Assert.Null(dashboard["id"]?.GetValue<int?>());
        Assert.False(string.IsNullOrEmpty(dashboard["uid"]?.GetValue<string>()));

        var panels = dashboard["panels"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(panels.Count, panels.Select(p => p["id"]!.GetValue<int>()).Distinct().Count());
        Assert.All(panels.Where(p => p["type"]!.GetValue<string>() != "row"), panel =>
        {
            var title = panel["title"]!.GetValue<string>();
            Assert.True(panel["datasource"]?["uid"]?.GetValue<string>() == "${datasource}", $"{title}: panel datasource must be the variable");
            Assert.NotEmpty(panel["targets"]!.AsArray());
            Assert.All(panel["targets"]!.AsArray(), t => Assert.Equal("${datasource}", t!["datasource"]!["uid"]!.GetValue<string>()));
            Assert.False(string.IsNullOrWhiteSpace(panel["description"]?.GetValue<string>()), $"{title}: says what it shows");
        });
    }

    [Fact]
    public void Panels_do_not_overlap()
    {
        var boxes = JsonNode.Parse(File.ReadAllText(Dashboard))!["panels"]!.AsArray()
            .Select(p => (Title: p!["title"]!.GetValue<string>(), X: Grid(p, "x"), Y: Grid(p, "y"), W: Grid(p, "w"), H: Grid(p, "h"))).ToList();
        Assert.All(boxes, b => Assert.True(b.X + b.W <= 24, $"{b.Title}: wider than the grid"));
        foreach (var (a, i) in boxes.Select((b, i) => (b, i)))
        {
            foreach (var b in boxes.Skip(i + 1))
            {
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"'{a.Title}' overlaps '{b.Title}'");
            }
        }
    }

    [Fact]
    public void It_shows_every_area_operators_watch()
    {
        var used = DashboardMetrics.NamesUsed(Dashboard);
        string[] required =
        [
            "http_server_request_duration_seconds_count", "http_server_request_duration_seconds_bucket",
            "keyservice_tokens_issued_total", "keyservice_token_endpoint_failures_total", "keyservice_active_key_age_seconds",
            "keyservice_jwks_requests_total", "totmcp_jwks_refreshes_total", "totmcp_token_validations_total",
            "totmcp_mcp_tool_calls_total", "totmcp_mcp_tool_duration_seconds_bucket", "totmcp_tot_runs_total", "totmcp_tot_runs_active",
            "kube_statefulset_status_replicas_ready", "ALERTS",
        ];
        Assert.Empty(required.Except(used));
        var rotation = Assert.Single(DashboardMetrics.Queries(Dashboard), q => q.Expression.Contains("rotation_seconds", StringComparison.Ordinal) && !q.Expression.Contains('+', StringComparison.Ordinal));
        Assert.StartsWith("panel", rotation.Source, StringComparison.Ordinal);
        Assert.Equal("604800", Variables()["rotation_seconds"]);
    }

    [Fact]
    public async Task Promtool_accepts_every_expression()
    {
        var queries = DashboardMetrics.Queries(Dashboard);
        Assert.True(queries.Count >= 20, $"only {queries.Count} queries");
        var result = await CheckWithPromtoolAsync(queries.Select(q => q.Expression));
        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains($"SUCCESS: {queries.Count} rules found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_refuses_a_broken_expression()
    {
        var result = await CheckWithPromtoolAsync(["sum by (job) (rate(up[5m])"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("dashboard_query_0", result.All, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_metric_it_reads_is_exported_by_the_services_or_the_cluster()
    {
        var known = DashboardMetrics.ReadList(ExportedList).Concat(DashboardMetrics.ReadList(ClusterList)).ToHashSet(StringComparer.Ordinal);
        var unknown = DashboardMetrics.Queries(Dashboard)
            .SelectMany(q => DashboardMetrics.MetricNames(q.Expression).Where(n => !known.Contains(n)).Select(n => $"{n} ({q.Source})"))
            .ToList();
        Assert.True(unknown.Count == 0, "not exported: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Every_query_is_scoped_to_the_chosen_namespace()
    {
        Assert.All(DashboardMetrics.Queries(Dashboard).Where(q => q.Source.StartsWith("panel", StringComparison.Ordinal)), query =>
        {
            var selectors = Selector().Matches(query.Expression).Where(m => !m.Groups["name"].Value.Equals("vector", StringComparison.Ordinal)).ToList();
            Assert.All(selectors, s => Assert.Contains("namespace=\"$namespace\"", s.Value, StringComparison.Ordinal));
            Assert.Equal(DashboardMetrics.MetricNames(query.Expression).Count > 0, selectors.Count > 0);
        });
    }

    /// <summary>The committed list follows the instruments in the code: a new or renamed instrument must be listed.</summary>
    [Fact]
    public void The_exported_list_matches_the_instruments_the_services_declare()
    {
        var declared = Instruments(Repository.PathOf("KeyService")).Concat(Instruments(Repository.PathOf("TotService"))).Concat(Instruments(Repository.PathOf("TotService.Engine")))
            .SelectMany(PrometheusSeries).ToHashSet(StringComparer.Ordinal);
        Assert.True(declared.Count >= 25, $"only {declared.Count} series found in the code");
        var listed = DashboardMetrics.ReadList(ExportedList).Where(n => !n.StartsWith("http_server_", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        Assert.True(declared.SetEquals(listed),
            $"declared, not listed: {string.Join(", ", declared.Except(listed))}; listed, not declared: {string.Join(", ", listed.Except(declared))}");
    }

    private static Task<Tool.Outcome> CheckWithPromtoolAsync(IEnumerable<string> expressions)
    {
        // One recording rule per query: promtool parses each expression exactly as Prometheus would.
        var variables = Variables();
        var rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        foreach (var (expr, i) in expressions.Select((e, i) => (e, i)))
        {
            var substituted = DashboardMetrics.Substitute(expr, variables);
            rules.Append(CultureInfo.InvariantCulture, $"  - record: dashboard_query_{i}\n    expr: '{substituted.Replace("'", "''", StringComparison.Ordinal)}'\n");
        }
        var scratch = Directory.CreateTempSubdirectory("dashboard-rules-").FullName;
        var file = Path.Combine(scratch, "rules.yaml");
        File.WriteAllText(file, rules.ToString());
        return CheckAndClean();

        async Task<Tool.Outcome> CheckAndClean()
        {
            try
            {
                return await Tool.PromtoolAsync("check", "rules", file);
            }
            finally
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    /// <summary>Template variables with the value a freshly imported dashboard uses.</summary>
    private static Dictionary<string, string> Variables() =>
        JsonNode.Parse(File.ReadAllText(Dashboard))!["templating"]!["list"]!.AsArray()
            .Where(v => v!["type"]!.GetValue<string>() != "datasource")
            .ToDictionary(
                v => v!["name"]!.GetValue<string>(),
                v => v!["type"]!.GetValue<string>() == "constant" ? v["query"]!.GetValue<string>() : v["current"]!["value"]!.GetValue<string>(),
                StringComparer.Ordinal);

    private static int Grid(JsonNode? panel, string field) => panel!["gridPos"]![field]!.GetValue<int>();

    private sealed record Instrument(string Kind, string Name, string Unit);

    private static IEnumerable<Instrument> Instruments(string projectDirectory) =>
        Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => InstrumentCall().Matches(File.ReadAllText(f)))
            .Select(m => new Instrument(m.Groups["kind"].Value, m.Groups["name"].Value, m.Groups["unit"].Value));

    /// <summary>OpenTelemetry's Prometheus exporter naming: dots to underscores, unit suffix, _total on counters, histogram series.</summary>
    private static IEnumerable<string> PrometheusSeries(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        name += instrument.Unit switch
        {
            "s" when !name.EndsWith("_seconds", StringComparison.Ordinal) => "_seconds",
            "By" when !name.EndsWith("_bytes", StringComparison.Ordinal) => "_bytes",
            _ => "",
        };
        return instrument.Kind switch
        {
            "Counter" or "ObservableCounter" => [name + "_total"],
            "Histogram" => [name + "_bucket", name + "_count", name + "_sum"],
            _ => [name],
        };
    }

    [GeneratedRegex(@"Create(?<kind>Counter|Histogram|UpDownCounter|Gauge|ObservableGauge|ObservableCounter|ObservableUpDownCounter)(?:<\w+>)?\(\s*""(?<name>[^""]+)""[^;""]*""(?<unit>[^""]*)""")]
    private static partial Regex InstrumentCall();

    [GeneratedRegex(@"(?<name>[a-zA-Z_:][\w:]*)\s*\{[^}]*\}")]
    private static partial Regex Selector();
}
