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

    /// <summary>The repository root: the first directory above the working directory or the binaries that holds the data file.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, RelativePath)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new FileNotFoundException($"No {RelativePath} above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}.");
    }

    private static string Locate() => Path.Combine(RepositoryRoot(), RelativePath);
}
