namespace AppHost.Tests.Infrastructure;

internal static class RepositoryRoot
{
    /// <summary>The folder holding Aspire.sln, found by walking up from the test binaries.</summary>
    public static string Path { get; } = Find();

    /// <summary>Where test artefacts (screenshots) go: <c>TEST_RESULTS_DIRECTORY</c>, else <c>TestResults/</c> at the root.</summary>
    public static string TestResults =>
        Environment.GetEnvironmentVariable("TEST_RESULTS_DIRECTORY") is { Length: > 0 } folder ? folder : System.IO.Path.Combine(Path, "TestResults");

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Aspire.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No Aspire.sln above {AppContext.BaseDirectory}.");
    }
}
