using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using AppHost.Tests.Infrastructure;
using AppModelTesting;

namespace AppHost.Tests.CommandLine;

/// <summary>
/// The AppHost as a user runs it: its own OS process (the built AppHost.dll), the real orchestrator and dashboard.
/// Every process it starts inherits a marker variable, so the test can find them all, wherever they were re-parented.
/// </summary>
internal sealed class AppHostProcess : IAsyncDisposable
{
    private const string MarkerVariable = "TOT_TEST_RUN_MARKER";

    private readonly StringBuilder _output = new();

    private AppHostProcess(Process process, string marker)
    {
        Process = process;
        Marker = marker;
    }

    public Process Process { get; }

    public string Marker { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static AppHostProcess Start(params string[] arguments)
    {
        var configuration = typeof(AppHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        var assembly = Path.Combine(RepositoryRoot.Path, "AppHost", "bin", configuration, "net10.0", "AppHost.dll");
        var startInfo = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(assembly);
        foreach (var argument in arguments.Append("--AppHost:Prometheus=false"))
        {
            startInfo.ArgumentList.Add(argument);
        }
        var marker = Guid.NewGuid().ToString("N");
        startInfo.Environment[MarkerVariable] = marker;
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://localhost:{FreePort()}";
        startInfo.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://localhost:{FreePort()}";
        startInfo.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        // Secrets for this run, so the test never writes the developer's user secrets.
        startInfo.Environment["Parameters__dev-client-secret"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        startInfo.Environment["Parameters__redis-password"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        startInfo.Environment["Parameters__keyservice-kek"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        var apphost = new AppHostProcess(Process.Start(startInfo)!, marker);
        apphost.Process.OutputDataReceived += (_, e) => apphost.Append(e.Data);
        apphost.Process.ErrorDataReceived += (_, e) => apphost.Append(e.Data);
        apphost.Process.BeginOutputReadLine();
        apphost.Process.BeginErrorReadLine();
        return apphost;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Every live process that carries this run's marker: the AppHost, the orchestrator, the dashboard, the services.</summary>
    public IReadOnlyList<int> MarkedProcesses() =>
        ProcFs.Environments()
            .Where(p => p.Environment.GetValueOrDefault(MarkerVariable) == Marker && ProcFs.IsRunning(p.Pid))
            .Select(p => p.Pid)
            .ToList();

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (Process.HasExited)
            {
                throw new InvalidOperationException($"The AppHost exited with {Process.ExitCode} before printing '{text}':\n{Output}");
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The AppHost did not print '{text}' within {timeout}:\n{Output}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Waits until no marked process is left; returns how long that took.</summary>
    public async Task<TimeSpan> WaitForNoMarkedProcessAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (MarkedProcesses() is { Count: > 0 } left)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"{left.Count} processes outlived the AppHost by {timeout}: " +
                    string.Join("; ", left.Select(p => $"{p} {ProcFs.CommandLine(p)}")));
            }
            await Task.Delay(200);
        }
        return clock.Elapsed;
    }

    public void Signal(string signal)
    {
        using var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", Process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Signal("INT");
            if (!Process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                Process.Kill(entireProcessTree: true);
            }
        }
        foreach (var pid in MarkedProcesses())
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill();
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }
        await Process.WaitForExitAsync();
        Process.Dispose();
    }
}
