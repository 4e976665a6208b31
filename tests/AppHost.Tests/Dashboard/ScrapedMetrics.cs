namespace AppHost.Tests.Dashboard;

/// <summary>
/// The metric names in Prometheus text scrapes: every sample's name, and each histogram family (so a query naming its
/// <c>_bucket</c>, <c>_sum</c> or <c>_count</c> series matches the family even where a scrape spells them otherwise).
/// </summary>
public sealed class ScrapedMetrics
{
    private static readonly string[] HistogramSuffixes = ["_bucket", "_sum", "_count"];

    private readonly HashSet<string> _samples = new(StringComparer.Ordinal);
    private readonly HashSet<string> _histograms = new(StringComparer.Ordinal);

    public int SampleNameCount => _samples.Count;

    /// <summary>Adds one scrape's names (a sample line is <c>name{labels} value [timestamp]</c>).</summary>
    public void Add(string scrape)
    {
        foreach (var raw in scrape.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 4 && parts[3] == "histogram")
                {
                    _histograms.Add(parts[2]);
                }
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
            {
                var end = line.IndexOfAny(['{', ' ']);
                _samples.Add(end < 0 ? line : line[..end]);
            }
        }
    }

    public bool Contains(string name) =>
        _samples.Contains(name)
        || HistogramSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal) && _histograms.Contains(name[..^suffix.Length]));
}
