using System.Diagnostics;
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

    /// <summary>
    /// The small-object heap only (gen0, gen1 and gen2 of <c>dotnet.gc.last_collection.heap.size</c>): where trees,
    /// thoughts and every other ordinary object live. Buffers of 85,000 bytes and more (request bodies, pooled arrays)
    /// are on the large-object heap and not counted here.
    /// </summary>
    public static async Task<double?> SmallObjectHeapMiBAsync(HttpClient http, Uri metrics, CancellationToken cancellationToken) =>
        await SumAsync(http, metrics, "dotnet_gc_last_collection_heap_size_bytes", cancellationToken,
            series => series.Contains("gc_heap_generation=\"gen", StringComparison.Ordinal)) is { } bytes ? bytes / 1048576 : null;

    /// <summary>
    /// Makes the service run a full, blocking collection of every generation, as a heap snapshot does (dotnet-gcdump
    /// from the repository's tool manifest; the runtime collects before it walks the heap), so the heap after GC read
    /// next is what is live, not garbage that the service's own gen0/gen1 collections have not reached yet. Returns
    /// the snapshot's live bytes by type, largest first (type names and sizes only; nothing is written to disk).
    /// </summary>
    public static async Task<string> FullCollectionAsync(int pid, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "dotnet-gcdump", "report", "-p", pid.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet-gcdump did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet-gcdump exited with {process.ExitCode}: {await output} {await errors}");
        }
        return await output;
    }

    /// <summary>The folder holding the tool manifest (<c>.config/dotnet-tools.json</c>), above the test's binaries.</summary>
    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, ".config", "dotnet-tools.json")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("No .config/dotnet-tools.json above " + AppContext.BaseDirectory);
    }

    /// <summary>The sum of every series of the metric <paramref name="name"/> (those <paramref name="series"/> accepts) in the Prometheus text.</summary>
    private static async Task<double?> SumAsync(HttpClient http, Uri metrics, string name, CancellationToken cancellationToken, Func<string, bool>? series = null)
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
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is '{' or ' '
                && (series is null || series(line)))
            {
                var rest = line[name.Length] == '{' ? line[(line.IndexOf('}', StringComparison.Ordinal) + 1)..] : line[name.Length..];
                sum += double.Parse(rest.Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                found = true;
            }
        }
        return found ? sum : null;
    }
}
