using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace Bench.Runner.Infrastructure;

/// <summary>
/// A baseline host process (Bench.Baseline, or the TypeScript SDK server on Node) on a free loopback port; disposing kills it. Started in a session of its own, as the
/// services run in the orchestrator's session and not the runner's: with the kernel's autogroup scheduling (on by default) every session is scheduled as
/// one group, so a baseline sharing the runner's and wrk's session got its CPU on other terms than the service it is
/// compared with (measured: the same TotService build went from 0.78x to 0.92x of the baseline with autogroup off).
/// </summary>
public sealed class BaselineProcess : IAsyncDisposable
{
    private const string SetSid = "/usr/bin/setsid";

    private readonly Process _process;

    private readonly StrongBox<long> _outputLines;

    private BaselineProcess(Process process, Uri baseAddress, TimeSpan startToHealthy, StrongBox<long> outputLines)
    {
        _outputLines = outputLines;
        _process = process;
        BaseAddress = baseAddress;
        StartToHealthy = startToHealthy;
    }

    public Uri BaseAddress { get; }

    public TimeSpan StartToHealthy { get; }

    public int Pid => _process.Id;

    /// <summary>Lines the host has written to stdout and stderr so far.</summary>
    public long OutputLines => Interlocked.Read(ref _outputLines.Value);

    public static async Task<BaselineProcess> StartAsync(string healthPath, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var assembly = Path.Combine(RepositoryPaths.Root, "bench", "Bench.Baseline", "bin", RepositoryPaths.Configuration, "net10.0", "Bench.Baseline.dll");
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"{assembly} does not exist: build the solution in {RepositoryPaths.Configuration} first.");
        }
        var baseAddress = new Uri($"http://localhost:{port}");
        return await LaunchAsync(["dotnet", assembly, .. arguments, $"--urls=http://localhost:{port}"], Path.GetDirectoryName(assembly)!,
            baseAddress, healthPath, cancellationToken);
    }

    /// <summary>
    /// The official MCP TypeScript SDK's stateless server (<c>bench/typescript-baseline</c>, installed by run.sh with
    /// <c>npm ci</c>) on Node, listening on 127.0.0.1.
    /// </summary>
    public static async Task<BaselineProcess> StartTypeScriptAsync(CancellationToken cancellationToken)
    {
        var directory = Path.Combine(RepositoryPaths.Root, "bench", "typescript-baseline");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "@modelcontextprotocol", "sdk")))
        {
            throw new InvalidOperationException($"{directory} has no node_modules: run 'npm ci' there (bench/run.sh does).");
        }
        var port = FreePort();
        return await LaunchAsync(["node", "server.mjs", port.ToString(CultureInfo.InvariantCulture)], directory,
            new Uri($"http://127.0.0.1:{port}"), "/health", cancellationToken);
    }

    private static async Task<BaselineProcess> LaunchAsync(IReadOnlyList<string> command, string workingDirectory, Uri baseAddress,
        string healthPath, CancellationToken cancellationToken)
    {
        // setsid execs in place (this child is not a process group leader), so the PID is the host's own.
        var start = new ProcessStartInfo(File.Exists(SetSid) ? SetSid : command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in File.Exists(SetSid) ? command : command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["OTEL_SERVICE_NAME"] = "bench-baseline";

        var clock = Stopwatch.StartNew();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"The baseline host ({command[0]}) did not start.");
        var lines = new StrongBox<long>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Interlocked.Increment(ref lines.Value); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Interlocked.Increment(ref lines.Value); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var elapsed = await Health.WaitHealthyAsync(new Uri(baseAddress, healthPath), clock, TimeSpan.FromSeconds(30), cancellationToken);
        return new BaselineProcess(process, baseAddress, elapsed, lines);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
