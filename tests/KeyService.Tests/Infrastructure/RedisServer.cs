using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using StackExchange.Redis;

namespace KeyService.Tests.Infrastructure;

/// <summary>
/// A real Redis-protocol server on a free loopback port with a password: Debian's redis-server when installed, else
/// Garnet from the local dotnet tool cache (also forced by <c>KEYSERVICE_TEST_REDIS=garnet</c>). The process is started directly (its PID is the server's) and killed on
/// stop or dispose.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string RedisServerPath = "/usr/bin/redis-server";
    private Process? _process;

    private RedisServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public string Password { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Short timeouts so outage tests fail over in seconds, not the client's default 5 s per call.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={Password},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts the server on the same port and password (empty: it keeps no data across restarts).</summary>
    public async Task RestartAsync()
    {
        var useGarnet = !File.Exists(RedisServerPath) || Environment.GetEnvironmentVariable("KEYSERVICE_TEST_REDIS") == "garnet";
        var start = !useGarnet
            ? new ProcessStartInfo(RedisServerPath, ["--port", Port.ToString(), "--bind", "127.0.0.1", "--requirepass", Password, "--save", "", "--appendonly", "no"])
            : new ProcessStartInfo("dotnet", [GarnetPath(), "--port", Port.ToString(), "--bind", "127.0.0.1", "--auth", "Password", "--password", Password, "-m", "128m"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the Redis server.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        // Garnet (a .NET server) can take well over 20 s to start on a machine shared by several builds.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
                await probe.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (!timeout.IsCancellationRequested && !_process.HasExited)
            {
                await Task.Delay(50, timeout.Token);
            }
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

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string GarnetPath() => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages", "garnet-server", "2.2.8", "tools", "net10.0", "any", "GarnetServer.dll");
}
