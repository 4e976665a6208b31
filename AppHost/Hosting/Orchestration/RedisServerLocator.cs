using System.Diagnostics;
using System.Text.Json;
using AppHost.Hosting.Model;

namespace AppHost.Hosting.Orchestration;

/// <summary>
/// Picks the Redis-protocol server to run locally: Debian's <c>redis-server</c> when on PATH, otherwise Garnet
/// from the repository's dotnet tool manifest (restored on first use, so only the .NET SDK is required).
/// </summary>
internal sealed class RedisServerLocator(string repositoryRoot)
{
    // One "dotnet tool restore" per OS process, however many app models start at once.
    private static readonly SemaphoreSlim RestoreLock = new(1, 1);

    public static string? FindRedisServer() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists);

    public async Task<LaunchSpec> CreateLaunchSpecAsync(RedisResource redis, int port, string password, string dataDirectory, IReadOnlyDictionary<string, string> environment)
    {
        Directory.CreateDirectory(dataDirectory);
        var server = redis.Server;
        var redisServer = FindRedisServer();
        if (server == "redis-server" || (server == "auto" && redisServer is not null))
        {
            if (redisServer is null)
            {
                throw new InvalidOperationException("redis-server was requested but is not on PATH (apt-get install redis-server).");
            }
            // Configuration through stdin keeps the password out of the process list.
            var config = string.Join('\n',
                $"port {port}", "bind 127.0.0.1", $"requirepass {password}", "save \"\"", "appendonly no",
                $"dir {dataDirectory}", "protected-mode yes", "");
            return new LaunchSpec(redisServer, ["-"], dataDirectory, environment, config);
        }
        if (server is not ("garnet" or "auto"))
        {
            throw new InvalidOperationException($"Unknown Redis server '{server}': use auto, redis-server or garnet.");
        }

        var garnet = await LocateGarnetAsync();
        var configFile = Path.Combine(dataDirectory, "garnet.conf");
        await File.WriteAllTextAsync(configFile, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Port"] = port,
            ["Address"] = "127.0.0.1",
            ["AuthenticationMode"] = "Password",
            ["Password"] = password,
            ["MemorySize"] = "256m",
        }));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(configFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return new LaunchSpec(DotNetHost.Path, [garnet, "--config-import-path", configFile], dataDirectory, environment);
    }

    private async Task<string> LocateGarnetAsync()
    {
        var manifest = Path.Combine(repositoryRoot, ".config", "dotnet-tools.json");
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
        var version = document.RootElement.GetProperty("tools").GetProperty("garnet-server").GetProperty("version").GetString()!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var dll = Path.Combine(packages, "garnet-server", version, "tools", "net10.0", "any", "GarnetServer.dll");
        if (File.Exists(dll))
        {
            return dll;
        }

        await RestoreLock.WaitAsync();
        try
        {
            if (!File.Exists(dll))
            {
                using var restore = Process.Start(new ProcessStartInfo(DotNetHost.Path, "tool restore")
                {
                    WorkingDirectory = repositoryRoot,
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                })!;
                await restore.WaitForExitAsync();
                if (restore.ExitCode != 0 || !File.Exists(dll))
                {
                    throw new InvalidOperationException(
                        $"Neither redis-server nor Garnet is available: 'dotnet tool restore' in {repositoryRoot} failed with code {restore.ExitCode}.");
                }
            }
            return dll;
        }
        finally
        {
            RestoreLock.Release();
        }
    }
}

/// <summary>The <c>dotnet</c> host that runs this process, used to launch projects and .NET tools.</summary>
internal static class DotNetHost
{
    public static string Path { get; } =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Environment.ProcessPath is { } self && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
        : "dotnet";
}
