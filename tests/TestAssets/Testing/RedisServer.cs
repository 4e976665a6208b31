using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using AppHost.Lifecycle;
using StackExchange.Redis;
using Xunit;

namespace Testing;

/// <summary>
/// A throw-away Redis-protocol server on a free loopback port with a password, nothing persisted: Debian's
/// redis-server when installed, otherwise Garnet at the version the repository's tool manifest names (as the AppHost
/// runs it); <c>TEST_REDIS_SERVER=garnet</c> forces Garnet. The process is started directly (its PID is the server's)
/// and killed on stop or dispose. Usable as a class or assembly fixture, or through <see cref="StartAsync"/>.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private const string RedisServerPath = "/usr/bin/redis-server";

    /// <summary>Garnet (a .NET server) can take well over 20 s to start on a machine shared by several builds.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private ConnectionMultiplexer? _connection;

    public int Port { get; } = FreePort.Next();

    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The client's default timeouts per call: a server slowed by a busy machine is still answered.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={Password},abortConnect=false,connectTimeout=2000";

    /// <summary>Short timeouts so outage tests fail over in seconds, not the client's default 5 s per call.</summary>
    public string FailFastConnectionString => $"127.0.0.1:{Port},password={Password},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    /// <summary>A connection of the test's own, to look at what the services stored; it reconnects after a restart.</summary>
    public IConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("The server has not been started.");

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer();
        await server.InitializeAsync();
        return server;
    }

    public async ValueTask InitializeAsync()
    {
        await RestartAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
    }

    /// <summary>Starts the server on the same port and password (empty: it keeps no data across restarts).</summary>
    public async Task RestartAsync()
    {
        var start = UseGarnet()
            ? new ProcessStartInfo(DotNetHost, [await GarnetDllAsync(), "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--auth", "Password", "--password", Password, "-m", "128m"])
            : new ProcessStartInfo(RedisServerPath, ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--requirepass", Password, "--save", "", "--appendonly", "no"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        try
        {
            await Eventually.UntilAsync(AnswersPingAsync, StartTimeout, $"the Redis-protocol server ({start.FileName}) to answer PING on port {Port}");
        }
        catch
        {
            await StopAsync(); // a server that never answered is not left running
            throw;
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
        await StopAsync();
    }

    private async Task<bool> AnswersPingAsync(CancellationToken cancellationToken)
    {
        if (_process is not { HasExited: false })
        {
            throw new InvalidOperationException($"The Redis-protocol server exited before it answered:\n{string.Join('\n', _output)}");
        }
        try
        {
            // Fails at once while nothing listens yet (abortConnect is on), rather than queueing the PING.
            await using var probe = await ConnectionMultiplexer.ConnectAsync(FailFastConnectionString);
            await probe.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _output.Enqueue(line);
        while (_output.Count > 40 && _output.TryDequeue(out _))
        {
        }
    }

    private static bool UseGarnet() =>
        !File.Exists(RedisServerPath) || Environment.GetEnvironmentVariable("TEST_REDIS_SERVER") == "garnet";

    /// <summary>Garnet at the manifest's version, restoring the manifest's tools when it is not in the NuGet cache yet.</summary>
    private static async Task<string> GarnetDllAsync()
    {
        var manifest = RepositoryFiles.PathOf(".config", "dotnet-tools.json");
        using var tools = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
        var version = tools.RootElement.GetProperty("tools").GetProperty("garnet-server").GetProperty("version").GetString()
            ?? throw new InvalidOperationException($"{manifest} names no garnet-server version.");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var dll = Path.Combine(packages, "garnet-server", version, "tools", "net10.0", "any", "GarnetServer.dll");
        if (!File.Exists(dll))
        {
            using var restore = Process.Start(new ProcessStartInfo(DotNetHost, "tool restore")
            {
                WorkingDirectory = RepositoryFiles.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = restore.StandardOutput.ReadToEndAsync();
            var errors = restore.StandardError.ReadToEndAsync();
            await restore.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
            if (restore.ExitCode != 0 || !File.Exists(dll))
            {
                throw new InvalidOperationException(
                    $"Neither redis-server nor Garnet {version} is available: 'dotnet tool restore' exited with {restore.ExitCode}:\n{await output}{await errors}");
            }
        }
        return dll;
    }

    private static string DotNetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
