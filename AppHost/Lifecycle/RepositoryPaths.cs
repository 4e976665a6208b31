using System.Reflection;

namespace AppHost.Lifecycle;

/// <summary>Where the repository is: the AppHost reads the tool manifest and the alert rules from it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } =
        typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryRoot").Value!;
}
