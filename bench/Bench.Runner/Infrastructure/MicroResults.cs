namespace Bench.Runner.Infrastructure;

/// <summary>Appends the BenchmarkDotNet tables that <c>bench/run.sh</c> produced just before (Bench.Micro, short job).</summary>
public static class MicroResults
{
    public static void Append(Report report)
    {
        var folder = Path.Combine(RepositoryPaths.Root, "bench", ".artifacts", "micro", "results");
        var tables = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*-report-github.md").Order(StringComparer.Ordinal).ToList()
            : [];
        report.Section("Micro-benchmarks (BenchmarkDotNet, ShortRun)", tables.Count == 0
            ? "Not run in this pass (run `bash bench/run.sh` without `--skip-micro`)."
            : "`bench/Bench.Micro`: JWKS serialization (KeyService's `KeyRingSnapshot`), token signing and validation.\n\n" +
              string.Join("\n\n", tables.Select(StripEnvironmentHeader)));
    }

    /// <summary>BenchmarkDotNet's table starts with a fenced environment block; the report has its own machine section.</summary>
    private static string StripEnvironmentHeader(string file)
    {
        var lines = File.ReadAllLines(file);
        var table = Array.FindIndex(lines, l => l.StartsWith('|'));
        return string.Join("\n", table < 0 ? lines : lines[table..]).Trim();
    }
}
