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

    /// <summary>Walks up from the test binaries to the repository root, which holds <c>data/</c>.</summary>
    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"No {RelativePath} above {AppContext.BaseDirectory}.");
    }
}
