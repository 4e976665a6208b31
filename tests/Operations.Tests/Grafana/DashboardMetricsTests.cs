namespace Operations.Tests.Grafana;

/// <summary>The PromQL reader the dashboard checks rely on.</summary>
public sealed class DashboardMetricsTests
{
    [Theory]
    [InlineData("sum by (job) (rate(http_server_request_duration_seconds_count{namespace=\"$namespace\", job=~\"a|b{c}\"}[$__rate_interval]))", "http_server_request_duration_seconds_count")]
    [InlineData("histogram_quantile(0.95, sum by (le) (rate(a_bucket[5m]))) / on (job) group_left (pod) b:recorded", "a_bucket b:recorded")]
    [InlineData("up == bool 0 or absent(x offset 5m) unless count without (instance) (ALERTS)", "ALERTS up x")]
    [InlineData("vector(${rotation_seconds} + 1e3)", "")]
    [InlineData("max(keyservice_active_key_age_seconds) > 612000 and  on() (time() - 1.5e2) > 0", "keyservice_active_key_age_seconds")]
    public void Metric_names_are_the_identifiers_that_are_not_functions_keywords_labels_or_numbers(string expression, string expected)
    {
        Assert.Equal(expected.Split(' ', StringSplitOptions.RemoveEmptyEntries), DashboardMetrics.MetricNames(expression));
    }

    [Fact]
    public void Variables_are_replaced_by_durations_and_given_values_and_an_unknown_one_throws()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["namespace"] = "tot-mcp", ["rotation_seconds"] = "604800" };
        Assert.Equal(
            "rate(x{namespace=\"tot-mcp\"}[5m]) + vector(604800) + increase(y[1h])",
            DashboardMetrics.Substitute("rate(x{namespace=\"$namespace\"}[$__rate_interval]) + vector(${rotation_seconds}) + increase(y[$__range])", values));
        Assert.Throws<ArgumentException>(() => DashboardMetrics.Substitute("rate(x{job=\"$jbo\"}[5m])", values));
    }

    [Fact]
    public void Queries_come_from_nested_panels_and_label_values_variables()
    {
        using var scratch = new Infrastructure.ScratchDirectory();
        var path = scratch.File("d.json");
        File.WriteAllText(path, """
            {"panels": [{"id": 1, "title": "row", "type": "row", "panels": [{"id": 2, "title": "p", "targets": [{"refId": "A", "expr": "rate(inner_total[5m])"}]}]},
                        {"id": 3, "title": "q", "targets": [{"refId": "A", "expr": "outer"}, {"refId": "B"}]}],
             "templating": {"list": [{"name": "ns", "type": "query", "query": {"query": "label_values(up{job=\"k\"}, namespace)"}},
                                     {"name": "c", "type": "constant", "query": "5"}]}}
            """);
        Assert.Equal(["rate(inner_total[5m])", "outer", "up{job=\"k\"}"], DashboardMetrics.Queries(path).Select(q => q.Expression));
        Assert.Equal(["inner_total", "outer", "up"], DashboardMetrics.NamesUsed(path));
    }
}
