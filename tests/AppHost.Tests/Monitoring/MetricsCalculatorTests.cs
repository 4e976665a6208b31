using AppHost.Monitoring;

namespace AppHost.Tests.Monitoring;

public sealed class MetricsCalculatorTests
{
    private const string Exposition = """
        # TYPE http_server_request_duration_seconds histogram
        http_server_request_duration_seconds_bucket{http_response_status_code="200",le="0.005"} $0
        http_server_request_duration_seconds_bucket{http_response_status_code="200",le="0.01"} $1
        http_server_request_duration_seconds_bucket{http_response_status_code="200",le="0.1"} $2
        http_server_request_duration_seconds_bucket{http_response_status_code="200",le="+Inf"} $2
        http_server_request_duration_seconds_count{http_response_status_code="200"} $2
        http_server_request_duration_seconds_bucket{http_response_status_code="503",le="0.005"} 0
        http_server_request_duration_seconds_bucket{http_response_status_code="503",le="0.01"} 0
        http_server_request_duration_seconds_bucket{http_response_status_code="503",le="0.1"} $3
        http_server_request_duration_seconds_bucket{http_response_status_code="503",le="+Inf"} $3
        http_server_request_duration_seconds_count{http_response_status_code="503"} $3
        keyservice_tokens_issued_total{result="success"} $4
        keyservice_tokens_issued_total{result="failure"} 2
        keyservice_active_key_age_seconds 3600
        """;

    /// <summary>The exposition above with <c>$0</c>..<c>$4</c> replaced by <paramref name="values"/>.</summary>
    private static IReadOnlyList<MetricSample> Scrape(params double[] values)
    {
        var text = Exposition;
        for (var i = 0; i < values.Length; i++)
        {
            text = text.Replace($"${i}", values[i].ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        return PrometheusTextParser.Parse(text);
    }

    [Fact]
    public void Parser_reads_names_labels_escapes_and_special_values()
    {
        var samples = PrometheusTextParser.Parse("""
            # HELP x help text
            a_total{tool="say \"hi\"",path="C:\\dir"} 42 1700000000000
            b +Inf
            c{} NaN
            broken{le="1" 3
            d 1.5e3
            """);

        Assert.Equal(["a_total", "b", "c", "d"], samples.Select(s => s.Name));
        Assert.Equal("say \"hi\"", samples[0].Label("tool"));
        Assert.Equal("C:\\dir", samples[0].Label("path"));
        Assert.Equal(42, samples[0].Value);
        Assert.True(double.IsPositiveInfinity(samples[1].Value));
        Assert.True(double.IsNaN(samples[2].Value));
        Assert.Equal(1500, samples[3].Value);
    }

    [Fact]
    public void Histogram_quantile_interpolates_like_prometheus()
    {
        // 100 observations: 50 up to 0.1 s, 40 more up to 0.2 s, 10 more up to 0.4 s.
        var p95 = MetricsCalculator.HistogramQuantile(0.95, [(0.1, 50), (0.2, 90), (0.4, 100), (double.PositiveInfinity, 100)]);
        Assert.NotNull(p95);
        Assert.Equal(0.3, p95.Value, 6);
        Assert.Null(MetricsCalculator.HistogramQuantile(0.95, [(0.1, 0), (double.PositiveInfinity, 0)]));
        Assert.Equal(0.4, MetricsCalculator.HistogramQuantile(0.95, [(0.4, 1), (double.PositiveInfinity, 100)]));
    }

    [Fact]
    public void Rates_p95_and_errors_come_from_the_interval_and_sum_over_replicas()
    {
        // Replica A: 10 -> 30 OK requests (all between 5 and 10 ms); replica B restarted (counter went down) and saw 4 requests.
        var a = new ScrapeInterval(Scrape(0, 10, 10, 0, 5), Scrape(0, 30, 30, 0, 7), 2);
        var b = new ScrapeInterval(Scrape(0, 0, 50, 0, 9), Scrape(0, 0, 4, 0, 1), 2);

        var values = MetricsCalculator.Compute("keyservice", [a, b]).ToList();

        Assert.Equal((20 + 4) / 2.0, Value(values, "requests", "keyservice"));
        Assert.Equal(0, Value(values, "requests", "keyservice 5xx"));
        var p95 = Value(values, "latency", "keyservice");
        Assert.InRange(p95, 50, 100); // 4 of 24 requests were slow (< 100 ms): p95 falls in that bucket.
        Assert.Equal((2 + 1) / 2.0, Value(values, "tokens", "success")); // 5 -> 7 on A, 1 since B's reset
        Assert.Equal(3600, Value(values, "keyage", "keyservice"));
    }

    [Fact]
    public void Server_errors_are_counted_separately()
    {
        var interval = new ScrapeInterval(Scrape(0, 0, 0, 0, 0), Scrape(1, 1, 1, 6, 0), 3);
        var values = MetricsCalculator.Compute("totservice", [interval]).ToList();
        Assert.Equal(7 / 3.0, Value(values, "requests", "totservice"), 6);
        Assert.Equal(6 / 3.0, Value(values, "requests", "totservice 5xx"), 6);
    }

    [Fact]
    public void Missing_series_give_no_values_but_a_reachable_service_still_reports_zero_requests()
    {
        var empty = new ScrapeInterval([], PrometheusTextParser.Parse("process_runtime_up 1\n"), 2);
        var values = MetricsCalculator.Compute("totservice", [empty]).ToList();
        Assert.Equal(0, Value(values, "requests", "totservice"));
        Assert.DoesNotContain(values, v => v.Chart is "latency" or "tokens" or "keyage" or "mcptools" or "totruns" or "jwks");
    }

    private static double Value(IEnumerable<ChartValue> values, string chart, string series) =>
        Assert.Single(values, v => v.Chart == chart && v.Series == series).Value;
}
