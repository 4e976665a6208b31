namespace TotService.Tests.Infrastructure;

/// <summary>Reads /metrics as Prometheus does, until the series a test expects are there.</summary>
public static class PrometheusScrape
{
    /// <summary>Scrapes until every series (a name and label fragments) shows up; the exporter caches a scrape briefly.</summary>
    public static Task<string[]> WaitForSeriesAsync(HttpClient http, IReadOnlyCollection<(string Name, string[] Labels)> expected) =>
        Eventually.UntilAsync(
            async cancel => (await http.GetStringAsync("/metrics", cancel)).Split('\n'),
            lines => expected.All(series => HasSeries(lines, series.Name, series.Labels)),
            TimeSpan.FromSeconds(10),
            "every expected series on /metrics",
            lines => "missing " + string.Join("; ", expected.Where(series => !HasSeries(lines, series.Name, series.Labels))
                .Select(series => $"{series.Name} {string.Join(',', series.Labels)}")),
            TimeSpan.FromMilliseconds(200),
            TestContext.Current.CancellationToken);

    private static bool HasSeries(IEnumerable<string> lines, string name, string[] labels) =>
        lines.Any(line => line.StartsWith(name + "{", StringComparison.Ordinal)
            && labels.All(label => line.Contains(label, StringComparison.Ordinal)));
}
