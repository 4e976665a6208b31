using System.Globalization;

namespace Resilience.Tests.Infrastructure;

/// <summary>A service process's managed memory as the soak tests read it, from its own /metrics (the resident set is <see cref="AppModelTesting.ProcFs.RssMiB"/>).</summary>
public static class ServiceMemory
{
    /// <summary>
    /// Sum over generations of <c>dotnet.gc.last_collection.heap.size</c> in the Prometheus text; null when there is none
    /// or the scrape timed out (a busy machine drops a sample, callers count their samples).
    /// </summary>
    public static async Task<double?> ManagedHeapMiBAsync(HttpClient http, Uri metrics, CancellationToken cancellationToken) =>
        await SumAsync(http, metrics, "dotnet_gc_last_collection_heap_size_bytes", cancellationToken) is { } bytes ? bytes / 1048576 : null;

    /// <summary>Garbage collections so far, all generations (<c>dotnet.gc.collections</c>); null as for the heap.</summary>
    public static async Task<double?> CollectionsAsync(HttpClient http, Uri metrics, CancellationToken cancellationToken) =>
        await SumAsync(http, metrics, "dotnet_gc_collections_total", cancellationToken);

    /// <summary>The sum of every series of the metric <paramref name="name"/> in the Prometheus text.</summary>
    private static async Task<double?> SumAsync(HttpClient http, Uri metrics, string name, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            text = await http.GetStringAsync(metrics, cancellationToken);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        double sum = 0;
        var found = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' ')
            {
                var rest = line[name.Length] == '{' ? line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..] : line[name.Length..];
                sum += double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                found = true;
            }
        }
        return found ? sum : null;
    }
}
