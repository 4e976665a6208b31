using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace TotService.Tests.Runs;

/// <summary>
/// A throw-away Redis-protocol server on a free loopback port: Debian's redis-server when installed, else Garnet from
/// the NuGet cache. Killed on dispose.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private const string Password = "tot-tests-password";
    private Process? _process;

    public IConnectionMultiplexer Connection { get; private set; } = null!;

    public string ConnectionString { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        var port = FreePort();
        var garnet = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
            ".nuget/packages/garnet-server/2.2.8/tools/net10.0/any/GarnetServer.dll");
        var start = File.Exists("/usr/bin/redis-server")
            ? new ProcessStartInfo("/usr/bin/redis-server", ["--port", $"{port}", "--bind", "127.0.0.1", "--requirepass", Password, "--save", "", "--appendonly", "no"])
            : new ProcessStartInfo("dotnet", [garnet, "--port", $"{port}", "--bind", "127.0.0.1", "--auth", "Password", "--password", Password, "-m", "128m"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start a Redis-protocol server.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        ConnectionString = $"127.0.0.1:{port},password={Password},abortConnect=false,connectTimeout=2000";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                Connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
                await Connection.GetDatabase().PingAsync();
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                if (Connection is not null)
                {
                    await Connection.DisposeAsync();
                }
                await Task.Delay(100);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
