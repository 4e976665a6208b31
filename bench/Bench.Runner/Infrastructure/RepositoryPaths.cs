using System.Reflection;

namespace Bench.Runner.Infrastructure;

public static class RepositoryPaths
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string Configuration { get; } = Metadata("BuildConfiguration");

    /// <summary>The repository's data folder (the Game of 24 puzzles).</summary>
    public static string Data => Path.Combine(Root, "data");

    private static string Metadata(string key) =>
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == key).Value!;
}
