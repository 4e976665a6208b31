namespace Testing;

/// <summary>Files of this repository, found from the test binaries by walking up to the solution file.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] relative) => Path.Combine([Root, .. relative]);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Aspire.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Aspire.sln above {AppContext.BaseDirectory}: the tests run from a checkout of this repository.");
    }
}
