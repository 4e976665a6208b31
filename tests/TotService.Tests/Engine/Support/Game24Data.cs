using System.Globalization;

namespace TotService.Tests.Engine.Support;

/// <summary>The repository's benchmark file (<c>data/game24.csv</c>): rank and puzzle numbers of each row.</summary>
internal static class Game24Data
{
    private const string RelativePath = "data/game24.csv";

    public static IReadOnlyList<(int Rank, int[] Numbers)> Load()
    {
        var lines = File.ReadAllLines(Locate());
        return lines.Skip(1)
            .Where(line => line.Trim().Length > 0)
            .Select(line => line.Split(','))
            .Select(cells => (
                int.Parse(cells[0], CultureInfo.InvariantCulture),
                cells[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray()))
            .ToList();
    }

    /// <summary>The repository these tests were built from (recorded at build time by Bench.Accuracy).</summary>
    public static string RepositoryRoot => global::Bench.Accuracy.PuzzleFile.RepositoryRoot();

    private static string Locate() => Path.Combine(RepositoryRoot, RelativePath);
}
