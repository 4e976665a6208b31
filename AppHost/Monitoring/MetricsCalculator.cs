using System.Globalization;

namespace AppHost.Monitoring;

/// <summary>One scrape interval of one replica: what it exposed before and now, and the seconds in between.</summary>
public sealed record ScrapeInterval(IReadOnlyList<MetricSample> Previous, IReadOnlyList<MetricSample> Current, double Seconds);

/// <summary>A point of a chart's series, computed from one scrape interval.</summary>
public sealed record ChartValue(string Chart, string Series, double Value);

/// <summary>
/// Turns raw scrapes into the numbers operators read: per-second rates from counters (reset-aware, summed over
/// replicas), p95 from histogram bucket deltas (Prometheus' <c>histogram_quantile</c> interpolation), gauges as is.
/// </summary>
public static class MetricsCalculator
{
    public static readonly IReadOnlyList<ChartDefinition> Charts =
    [
        new("requests", "HTTP requests", "req/s", "Requests per second per service (probes and scrapes excluded); 5xx shown separately."),
        new("latency", "p95 latency", "ms", "95th percentile of server request duration per service."),
        new("tokens", "Tokens issued", "tokens/s", "Token endpoint results per second, by result."),
        new("keyage", "Active signing key age", "s", "Age of the key KeyService signs with; it drops after each rotation."),
        new("jwks", "JWKS requests", "req/s", "Requests for the public key set per second."),
        new("mcptools", "MCP tool calls", "calls/s", "Tool calls per second, by tool."),
        new("totruns", "Tree-of-Thoughts runs", "runs", "Runs in progress now, and runs finished so far by outcome."),
    ];

    public static IEnumerable<ChartValue> Compute(string service, IReadOnlyList<ScrapeInterval> replicas)
    {
        var values = new List<ChartValue>();
        if (replicas.Count == 0)
        {
            return values;
        }

        // A reachable service with no request yet has no histogram series: that is zero traffic, not missing data.
        var requests = SumRates(replicas, MetricNames.HttpRequestDuration + "_count", _ => "");
        values.Add(new("requests", service, requests.GetValueOrDefault("")));
        var errors = SumRates(replicas, MetricNames.HttpRequestDuration + "_count",
            s => s.Label(MetricNames.HttpStatusCodeLabel) is { Length: 3 } code && code[0] == '5' ? "5xx" : null);
        values.Add(new("requests", service + " 5xx", errors.GetValueOrDefault("5xx")));

        if (P95(replicas) is { } p95)
        {
            values.Add(new("latency", service, p95 * 1000));
        }

        foreach (var (result, rate) in SumRates(replicas, MetricNames.TokensIssued, s => s.Label(MetricNames.TokensIssuedResultLabel) ?? "all"))
        {
            values.Add(new("tokens", result, rate));
        }

        if (Gauge(replicas, MetricNames.SigningKeyAge, Math.Max) is { } keyAge)
        {
            values.Add(new("keyage", service, keyAge));
        }

        foreach (var (_, rate) in SumRates(replicas, MetricNames.JwksRequests, _ => ""))
        {
            values.Add(new("jwks", service, rate));
        }

        foreach (var (tool, rate) in SumRates(replicas, MetricNames.McpToolCalls, s => s.Label(MetricNames.McpToolLabel) ?? "unknown"))
        {
            values.Add(new("mcptools", tool, rate));
        }

        if (Gauge(replicas, MetricNames.TotRunsActive, (a, b) => a + b) is { } active)
        {
            values.Add(new("totruns", "active", active));
        }
        foreach (var (outcome, total) in SumCurrent(replicas, MetricNames.TotRunsTotal, s => s.Label(MetricNames.TotRunsOutcomeLabel) ?? "all"))
        {
            values.Add(new("totruns", outcome, total));
        }
        return values;
    }

    /// <summary>Per-second increase of a counter, grouped by <paramref name="group"/> (null drops a sample) and summed over replicas.</summary>
    internal static Dictionary<string, double> SumRates(IReadOnlyList<ScrapeInterval> replicas, string name, Func<MetricSample, string?> group)
    {
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var replica in replicas)
        {
            if (replica.Seconds <= 0)
            {
                continue;
            }
            var previous = Sum(replica.Previous, name, group);
            foreach (var (key, current) in Sum(replica.Current, name, group))
            {
                var before = previous.GetValueOrDefault(key);
                // A counter that went down was reset (the replica restarted): everything counted since is new.
                var increase = current >= before ? current - before : current;
                rates[key] = rates.GetValueOrDefault(key) + increase / replica.Seconds;
            }
        }
        return rates;
    }

    private static Dictionary<string, double> SumCurrent(IReadOnlyList<ScrapeInterval> replicas, string name, Func<MetricSample, string?> group)
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var replica in replicas)
        {
            foreach (var (key, value) in Sum(replica.Current, name, group))
            {
                totals[key] = totals.GetValueOrDefault(key) + value;
            }
        }
        return totals;
    }

    private static Dictionary<string, double> Sum(IReadOnlyList<MetricSample> samples, string name, Func<MetricSample, string?> group)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            if (sample.Name == name && !double.IsNaN(sample.Value) && group(sample) is { } key)
            {
                sums[key] = sums.GetValueOrDefault(key) + sample.Value;
            }
        }
        return sums;
    }

    private static double? Gauge(IReadOnlyList<ScrapeInterval> replicas, string name, Func<double, double, double> combine)
    {
        double? result = null;
        foreach (var sample in replicas.SelectMany(r => r.Current).Where(s => s.Name == name && !double.IsNaN(s.Value)))
        {
            result = result is { } sofar ? combine(sofar, sample.Value) : sample.Value;
        }
        return result;
    }

    /// <summary>p95 of the requests that arrived during the interval (all routes and replicas together), in seconds.</summary>
    private static double? P95(IReadOnlyList<ScrapeInterval> replicas)
    {
        var increases = new Dictionary<double, double>();
        foreach (var replica in replicas)
        {
            var previous = Sum(replica.Previous, MetricNames.HttpRequestDuration + "_bucket", UpperBound);
            foreach (var (le, current) in Sum(replica.Current, MetricNames.HttpRequestDuration + "_bucket", UpperBound))
            {
                var before = previous.GetValueOrDefault(le);
                var bound = double.Parse(le, CultureInfo.InvariantCulture);
                increases[bound] = increases.GetValueOrDefault(bound) + (current >= before ? current - before : current);
            }
        }
        return HistogramQuantile(0.95, [.. increases.Select(b => (b.Key, b.Value))]);
    }

    /// <summary>The bucket's <c>le</c> label in one spelling per bound ("0.1" and "0.10" are the same bucket).</summary>
    private static string? UpperBound(MetricSample sample) => sample.Label("le") switch
    {
        "+Inf" or "Inf" => "Infinity",
        { } le when double.TryParse(le, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound) => bound.ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };

    /// <summary>Prometheus' <c>histogram_quantile</c>: linear interpolation inside the bucket holding the rank.</summary>
    public static double? HistogramQuantile(double quantile, IReadOnlyList<(double UpperBound, double CumulativeCount)> buckets)
    {
        var sorted = buckets.OrderBy(b => b.UpperBound).ToList();
        if (sorted.Count == 0 || !double.IsPositiveInfinity(sorted[^1].UpperBound))
        {
            return null;
        }
        var total = sorted[^1].CumulativeCount;
        if (total <= 0)
        {
            return null;
        }
        var rank = quantile * total;
        var lowerBound = 0.0;
        var lowerCount = 0.0;
        foreach (var (upperBound, count) in sorted)
        {
            if (count >= rank)
            {
                if (double.IsPositiveInfinity(upperBound))
                {
                    return lowerBound;
                }
                var inBucket = count - lowerCount;
                return inBucket <= 0 ? upperBound : lowerBound + (upperBound - lowerBound) * ((rank - lowerCount) / inBucket);
            }
            lowerBound = upperBound;
            lowerCount = count;
        }
        return lowerBound;
    }
}

/// <summary>A chart of the metrics view.</summary>
public sealed record ChartDefinition(string Id, string Title, string Unit, string Description);
