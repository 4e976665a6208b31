using System.Text.Json;

namespace Bench.Runner.Infrastructure;

/// <summary>
/// A service's log levels, read from its own <c>appsettings.json</c> and given to a baseline host as command-line
/// configuration, so both sides of a comparison log alike (at ASP.NET Core's default Information level a host writes
/// two lines per request) and a change to the service's levels reaches its baseline without a second copy.
/// </summary>
public static class ServiceLogLevels
{
    public static IReadOnlyList<string> Arguments(string project)
    {
        using var settings = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepositoryPaths.Root, project, "appsettings.json")));
        return [.. settings.RootElement.GetProperty("Logging").GetProperty("LogLevel").EnumerateObject()
            .Select(level => $"--Logging:LogLevel:{level.Name}={level.Value.GetString()}")];
    }
}
