using System.Globalization;

namespace Bench.Runner.Infrastructure;

/// <summary>
/// Bytes a service has allocated on the managed heap since it started, from its own <c>/metrics</c>. Allocation per
/// request does not depend on other load on the machine, so it shows a hot-path change in one short run.
/// </summary>
public static class ManagedAllocations
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static async Task<double> TotalBytesAsync(Uri metrics, CancellationToken cancellationToken)
    {
        var text = await Http.GetStringAsync(metrics, cancellationToken);
        var line = text.Split('\n').Single(l => l.StartsWith("dotnet_gc_heap_total_allocated_bytes_total", StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
