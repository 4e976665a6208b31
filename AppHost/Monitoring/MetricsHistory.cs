namespace AppHost.Monitoring;

/// <summary>The short in-memory time series behind the metrics view: the last <see cref="Capacity"/> points per series.</summary>
public sealed class MetricsHistory(int capacity = 180)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, Queue<(long Time, double Value)>>> _charts = new(StringComparer.Ordinal);

    public int Capacity { get; } = capacity;

    public void Record(DateTimeOffset time, IEnumerable<ChartValue> values)
    {
        var milliseconds = time.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            foreach (var value in values)
            {
                if (!_charts.TryGetValue(value.Chart, out var chart))
                {
                    chart = _charts[value.Chart] = new SortedDictionary<string, Queue<(long, double)>>(StringComparer.Ordinal);
                }
                if (!chart.TryGetValue(value.Series, out var points))
                {
                    points = chart[value.Series] = new Queue<(long, double)>();
                }
                if (points.Count == Capacity)
                {
                    points.Dequeue();
                }
                points.Enqueue((milliseconds, double.IsFinite(value.Value) ? value.Value : 0));
            }
        }
    }

    /// <summary>Every chart (empty ones included, so the view can say "no data"), each series as [unix ms, value] pairs.</summary>
    public IReadOnlyList<ChartData> Snapshot()
    {
        lock (_gate)
        {
            return [.. MetricsCalculator.Charts.Select(definition => new ChartData(
                definition,
                _charts.TryGetValue(definition.Id, out var chart)
                    ? [.. chart.Select(series => new SeriesData(series.Key, [.. series.Value.Select(p => new[] { p.Time, p.Value })]))]
                    : []))];
        }
    }
}

public sealed record ChartData(ChartDefinition Definition, IReadOnlyList<SeriesData> Series);

public sealed record SeriesData(string Name, IReadOnlyList<double[]> Points);
