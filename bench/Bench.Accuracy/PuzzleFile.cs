using System.Reflection;

namespace Bench.Accuracy;

/// <summary>Reads the repository's <c>data/game24.csv</c> (rank, puzzle, ...).</summary>
public static class PuzzleFile
{
    private const string RelativePath = "data/game24.csv";

    public static IReadOnlyList<(int Rank, string Puzzle)> Load(int from, int to) =>
        File.ReadLines(Locate()).Skip(1)
            .Select(line => line.Split(','))
            .Where(cells => cells.Length > 1 && int.TryParse(cells[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            .Select(cells => (Rank: int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture), Puzzle: cells[1].Trim()))
            .Where(p => p.Rank >= from && p.Rank <= to)
            .ToList();

    /// <summary>
    /// The repository this program was built from (recorded at build time, as Bench.Runner does), so the data file
    /// is always the repository's own, whatever the working directory.
    /// </summary>
    public static string RepositoryRoot() =>
        typeof(PuzzleFile).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    private static string Locate() => Path.Combine(RepositoryRoot(), RelativePath);
}
