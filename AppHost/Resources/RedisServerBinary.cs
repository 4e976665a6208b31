using System.Diagnostics;
using System.Text.Json;
using AppHost.Lifecycle;

namespace AppHost.Resources;

/// <summary>
/// Which Redis-protocol server to run, and how: Debian's <c>redis-server</c> when on PATH, otherwise Garnet from the
/// repository's dotnet tool manifest (restored on first use, so a machine with only the .NET SDK can run the app).
/// </summary>
internal sealed record RedisServerBinary(string Kind, string Command, string? GarnetDll)
{
    public const string RedisServer = "redis-server";
    public const string Garnet = "garnet";

    public static string? FindRedisServer() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, RedisServer))
            .FirstOrDefault(File.Exists);

    public static RedisServerBinary Choose(string requested)
    {
        var redisServer = FindRedisServer();
        if (requested == RedisServer || (requested == "auto" && redisServer is not null))
        {
            return new RedisServerBinary(RedisServer,
                redisServer ?? throw new InvalidOperationException("AppHost:RedisServer is redis-server, but redis-server is not on PATH (apt-get install redis-server)."),
                GarnetDll: null);
        }
        return new RedisServerBinary(Garnet, DotNetHost, GarnetDllPath());
    }

    /// <summary>The command line after the program: only the port; the password is in the 0600 file.</summary>
    public IEnumerable<string> Arguments(string configFile, int port) => Kind == RedisServer
        ? [configFile, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]
        : [GarnetDll!, "--config-import-path", configFile, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)];

    /// <summary>The server's configuration file: loopback only, a password, nothing persisted.</summary>
    public string Configuration(string password, string dataFolder) => Kind == RedisServer
        ? string.Join('\n', "bind 127.0.0.1", $"requirepass {password}", "save \"\"", "appendonly no", $"dir {dataFolder}", "protected-mode yes", "")
        : JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Address"] = "127.0.0.1",
            ["AuthenticationMode"] = "Password",
            ["Password"] = password,
            ["MemorySize"] = "256m",
            ["CheckpointDir"] = dataFolder,
        });

    /// <summary>Restores the tool manifest when Garnet is not in the NuGet cache yet.</summary>
    public async Task EnsureInstalledAsync(CancellationToken cancellationToken)
    {
        if (GarnetDll is null || File.Exists(GarnetDll))
        {
            return;
        }
        using var restore = Process.Start(new ProcessStartInfo(DotNetHost, "tool restore")
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await restore.WaitForExitAsync(cancellationToken);
        if (restore.ExitCode != 0 || !File.Exists(GarnetDll))
        {
            throw new InvalidOperationException(
                $"Neither redis-server nor Garnet is available: 'dotnet tool restore' in {RepositoryPaths.Root} exited with {restore.ExitCode}.");
        }
    }

    private static string GarnetDllPath()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Root, ".config", "dotnet-tools.json")));
        var version = manifest.RootElement.GetProperty("tools").GetProperty("garnet-server").GetProperty("version").GetString()!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(packages, "garnet-server", version, "tools", "net10.0", "any", "GarnetServer.dll");
    }

    private static string DotNetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
