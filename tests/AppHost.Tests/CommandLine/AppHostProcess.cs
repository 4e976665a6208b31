using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using AppHost.Lifecycle;
using AppHost.Tests.Infrastructure;
using AppModelTesting;
using Testing;

namespace AppHost.Tests.CommandLine;

/// <summary>
/// The AppHost as a user runs it: its own OS process (the built AppHost.dll), the real orchestrator and dashboard.
/// Every process it starts inherits a marker variable, so the test can find them all, wherever they were re-parented.
/// </summary>
internal sealed class AppHostProcess : IAsyncDisposable
{
    private const string MarkerVariable = "TOT_TEST_RUN_MARKER";

    /// <summary>How long a whole AppHost (orchestrator, dashboard, Redis, every service) may take to report its endpoints.</summary>
    public static readonly TimeSpan Startup = TimeSpan.FromMinutes(4);

    private readonly StringBuilder _output = new();

    private readonly List<(string Text, TaskCompletionSource Printed)> _awaited = [];

    private AppHostProcess(Process process, string marker, string devUserPassword)
    {
        Process = process;
        Marker = marker;
        DevUserPassword = devUserPassword;
    }

    public Process Process { get; }

    public string Marker { get; }

    /// <summary>The development user's password this run was given (so the developer's user secrets are never written).</summary>
    public string DevUserPassword { get; }

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
        // A test run started in the background by a shell without job control (CI, `./test.sh &`) has SIGINT ignored,
        // and an ignored signal stays ignored across exec: the AppHost would never see the test's Ctrl+C. A terminal's
        // foreground job has the default disposition; env restores it before it execs (same process id).
        var startInfo = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add("--default-signal=INT");
        startInfo.ArgumentList.Add("dotnet");
        startInfo.ArgumentList.Add(assembly);
        foreach (var argument in arguments.Append("--AppHost:Prometheus=false"))
        {
            startInfo.ArgumentList.Add(argument);
        }
        var marker = Guid.NewGuid().ToString("N");
        startInfo.Environment[MarkerVariable] = marker;
        startInfo.Environment["DOTNET_ENVIRONMENT"] = "Development";
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://localhost:{FreePort.Next()}";
        startInfo.Environment["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://localhost:{FreePort.Next()}";
        startInfo.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        // Secrets for this run, so the test never writes the developer's user secrets.
        startInfo.Environment["Parameters__dev-client-secret"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        startInfo.Environment["Parameters__redis-password"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        startInfo.Environment["Parameters__keyservice-kek"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var devUserPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        startInfo.Environment["Parameters__dev-user-password"] = devUserPassword;

        var apphost = new AppHostProcess(Process.Start(startInfo)!, marker, devUserPassword);
        apphost.Process.OutputDataReceived += (_, e) => apphost.Append(e.Data);
        apphost.Process.ErrorDataReceived += (_, e) => apphost.Append(e.Data);
        apphost.Process.BeginOutputReadLine();
        apphost.Process.BeginErrorReadLine();
        return apphost;
    }

    /// <summary>Every live process that carries this run's marker: the AppHost, the orchestrator, the dashboard, the services.</summary>
    public IReadOnlyList<int> MarkedProcesses() =>
        ProcFs.Environments()
            .Where(p => p.Environment.GetValueOrDefault(MarkerVariable) == Marker && ProcFs.IsRunning(p.Pid))
            .Select(p => p.Pid)
            .ToList();

    /// <summary>Waits until the AppHost prints <paramref name="text"/>; fails at once if it exits first.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var printed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Contains(text, StringComparison.Ordinal))
            {
                return;
            }
            _awaited.Add((text, printed));
        }
        Task first;
        try
        {
            first = await Task.WhenAny(printed.Task, Process.WaitForExitAsync()).WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The AppHost did not print '{text}' within {timeout}:\n{Output}");
        }
        if (first != printed.Task)
        {
            throw new InvalidOperationException($"The AppHost exited with {Process.ExitCode} before printing '{text}':\n{Output}");
        }
    }

    /// <summary>
    /// Waits for the AppHost to exit and for its output to be read to the end (unlike a timed <c>WaitForExit</c>, which
    /// can return before the asynchronous readers have delivered the last lines).
    /// </summary>
    public async Task WaitForExitAsync(TimeSpan timeout, string awaited)
    {
        try
        {
            await Process.WaitForExitAsync().WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The AppHost did not exit within {timeout} ({awaited}):\n{Output}");
        }
    }

    /// <summary>Waits until no marked process is left; returns how long that took.</summary>
    public async Task<TimeSpan> WaitForNoMarkedProcessAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await Eventually.UntilAsync(
            _ => Task.FromResult(MarkedProcesses()), left => left.Count == 0, timeout, "every process of the run to exit",
            left => $"{left.Count} left: " + string.Join("; ", left.Select(p => $"{p} {ProcFs.CommandLine(p)}")),
            TimeSpan.FromMilliseconds(200));
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
                foreach (var awaited in _awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)).ToList())
                {
                    _awaited.Remove(awaited);
                    awaited.Printed.TrySetResult();
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Signal("INT");
            try
            {
                await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
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
