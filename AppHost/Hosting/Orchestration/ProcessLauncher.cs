using System.Collections.Concurrent;
using System.Diagnostics;

namespace AppHost.Hosting.Orchestration;

/// <summary>
/// Starts child processes so they cannot outlive the AppHost. On Linux each child is wrapped in
/// <c>setpriv --pdeathsig KILL</c>: the kernel kills it when its parent dies, even on <c>kill -9</c>. The death
/// signal fires when the <em>thread</em> that forked the child exits, so every fork happens on one dedicated thread
/// that lives as long as the process. Each child also gets a session (and process group) of its own through
/// <c>setsid</c>, so a stop signal reaches anything it spawned, and a terminal's Ctrl+C reaches only the AppHost,
/// which then stops the children in order.
/// </summary>
internal sealed class ProcessLauncher
{
    private const string SetPriv = "/usr/bin/setpriv";
    private const string SetSid = "/usr/bin/setsid";

    // One forking thread per OS process, by design: see the summary.
    private static readonly Lazy<ProcessLauncher> Shared = new(() => new ProcessLauncher());

    private readonly BlockingCollection<(ProcessStartInfo StartInfo, TaskCompletionSource<Process> Started)> _requests = new();

    private ProcessLauncher()
    {
        UsesDeathSignal = OperatingSystem.IsLinux() && File.Exists(SetPriv) && File.Exists(SetSid);
        var thread = new Thread(Run) { IsBackground = true, Name = "AppHost process launcher" };
        thread.Start();
    }

    public static ProcessLauncher Instance => Shared.Value;

    /// <summary>False where <c>setpriv</c> or <c>setsid</c> is missing: children are then only stopped by a graceful AppHost exit.</summary>
    public bool UsesDeathSignal { get; }

    public Task<Process> StartAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = UsesDeathSignal ? SetPriv : fileName,
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (UsesDeathSignal)
        {
            foreach (var argument in new[] { "--pdeathsig", "KILL", "--", SetSid, fileName })
            {
                startInfo.ArgumentList.Add(argument);
            }
        }
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add((startInfo, started));
        return started.Task;
    }

    private void Run()
    {
        foreach (var (startInfo, started) in _requests.GetConsumingEnumerable())
        {
            try
            {
                var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
                process.Start();
                started.SetResult(process);
            }
            catch (Exception ex)
            {
                started.SetException(ex);
            }
        }
    }
}
