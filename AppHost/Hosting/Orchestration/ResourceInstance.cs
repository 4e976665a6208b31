using System.Diagnostics;
using AppHost.Hosting.Model;

namespace AppHost.Hosting.Orchestration;

/// <summary>
/// One process of a resource (one replica): launches it, pumps its output, probes its health, reports exits and
/// restarts it with backoff when the model asks for it.
/// </summary>
internal sealed class ResourceInstance(
    ProcessResource resource,
    int replica,
    int port,
    ResourceNotificationService notifications,
    ResourceLoggerService logs,
    TimeProvider time)
{
    private const int LastLinesOnExit = 10;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Process? _process;
    private Task _exited = Task.CompletedTask;
    private bool _retired;
    private ResourceSnapshot _snapshot = new(
        resource.Name, InstanceNameOf(resource, replica), replica, resource.Kind, ResourceState.NotStarted, HealthStatus.Unknown,
        null, [UrlOf(resource, port)], null, null, 0, null);

    public ProcessResource Resource { get; } = resource;

    public int Replica { get; } = replica;

    public int Port { get; } = port;

    public string InstanceName => _snapshot.InstanceName;

    public int? Pid => _snapshot.Pid;

    public static string InstanceNameOf(ProcessResource resource, int replica) =>
        resource.Replicas == 1 ? resource.Name : $"{resource.Name}-{replica}";

    public static string UrlOf(ProcessResource resource, int port) => $"{resource.Scheme}://localhost:{port}";

    /// <summary>True while a process of this instance is alive.</summary>
    public bool IsProcessAlive
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    /// <summary>A replacement instance took over this replica: stop publishing so late events cannot overwrite it.</summary>
    public void Retire()
    {
        lock (_gate)
        {
            _retired = true;
        }
    }

    public void Publish(Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        ResourceSnapshot next;
        lock (_gate)
        {
            if (_retired)
            {
                return;
            }
            next = _snapshot = change(_snapshot);
        }
        notifications.Publish(next);
    }

    /// <summary>Runs the process until the app stops, or until it exits and may not be restarted.</summary>
    public async Task RunAsync(Func<LaunchSpec> launchSpec, Func<IHealthProbe> probeFactory, CancellationToken appStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(appStopping, _stopping.Token);
        var stopping = linked.Token;
        var restarts = 0;
        while (!stopping.IsCancellationRequested)
        {
            Publish(s => s with { State = ResourceState.Starting, Health = HealthStatus.Unknown, ExitCode = null });
            Process process;
            try
            {
                var spec = launchSpec();
                process = await ProcessLauncher.Instance.StartAsync(spec.FileName, spec.Arguments, spec.WorkingDirectory, spec.Environment);
                if (spec.StandardInput is not null)
                {
                    await process.StandardInput.WriteAsync(spec.StandardInput);
                }
                process.StandardInput.Close();
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
            {
                Publish(s => s with { State = ResourceState.FailedToStart, Message = ex.Message });
                logs.Write(InstanceName, $"failed to start: {ex.Message}", isError: true, time);
                return;
            }

            // Exit is tracked by the Exited event: WaitForExitAsync would also wait for EOF on the output pipes,
            // which a leftover grandchild can hold open forever.
            var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.Exited += (_, _) => exited.TrySetResult();
            if (process.HasExited)
            {
                exited.TrySetResult();
            }
            lock (_gate)
            {
                _process = process;
                _exited = exited.Task;
            }
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) { logs.Write(InstanceName, e.Data, false, time); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { logs.Write(InstanceName, e.Data, true, time); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Publish(s => s with { State = ResourceState.Running, Pid = process.Id, StartedAt = time.GetUtcNow(), Restarts = restarts, Message = null });

            using var healthStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var health = MonitorHealthAsync(probeFactory(), healthStop.Token);
            try
            {
                await exited.Task;
                await DrainOutputAsync(process);
            }
            finally
            {
                await healthStop.CancelAsync();
                await health;
            }

            var exitCode = process.ExitCode;
            if (stopping.IsCancellationRequested)
            {
                Publish(s => s with { State = ResourceState.Finished, Health = HealthStatus.Unknown, ExitCode = exitCode });
                return;
            }

            var lastLines = logs.GetLines(InstanceName).TakeLast(LastLinesOnExit).Select(l => l.Text);
            var message = $"exited with code {exitCode}";
            logs.Write(InstanceName, $"{message}; last output:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", lastLines)}", true, time);

            // Exited is final; a crash that will be retried is reported as Restarting straight away.
            if (restarts >= Resource.Restart.MaxRestarts)
            {
                Publish(s => s with { State = ResourceState.Exited, Health = HealthStatus.Unhealthy, ExitCode = exitCode, Message = message });
                return;
            }
            restarts++;
            var backoff = Resource.Restart.BackoffFor(restarts);
            Publish(s => s with
            {
                State = ResourceState.Restarting, Health = HealthStatus.Unhealthy, ExitCode = exitCode,
                Message = $"{message}; restart {restarts} of {Resource.Restart.MaxRestarts} in {backoff.TotalSeconds:0.#} s",
            });
            try
            {
                await Task.Delay(backoff, time, stopping);
            }
            catch (OperationCanceledException)
            {
                Publish(s => s with { State = ResourceState.Finished });
                return;
            }
        }
    }

    /// <summary>Lets the last lines reach the log (they are the crash report), without waiting on pipes a grandchild may hold.</summary>
    private static async Task DrainOutputAsync(Process process)
    {
        using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await process.WaitForExitAsync(drained.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task MonitorHealthAsync(IHealthProbe probe, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var healthy = await probe.IsHealthyAsync(cancellationToken);
                Publish(s => s.State == ResourceState.Running
                    ? s with { Health = healthy ? HealthStatus.Healthy : (s.Health == HealthStatus.Unknown ? HealthStatus.Unknown : HealthStatus.Unhealthy) }
                    : s);
                await Task.Delay(healthy ? TimeSpan.FromSeconds(2) : TimeSpan.FromMilliseconds(200), time, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>SIGTERM, then SIGKILL when the process does not leave within <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        await _stopping.CancelAsync();
        Process? process;
        Task exited;
        lock (_gate)
        {
            process = _process;
            exited = _exited;
        }
        if (process is null || process.HasExited)
        {
            if (_snapshot.State is ResourceState.NotStarted or ResourceState.Waiting)
            {
                Publish(s => s with { State = ResourceState.Finished });
            }
            return;
        }

        Publish(s => s with { State = ResourceState.Stopping });
        PosixSignals.TryTerminateGroup(process.Id);
        try
        {
            await exited.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            logs.Write(InstanceName, $"did not stop within {timeout.TotalSeconds:0} s; killing it", true, time);
            PosixSignals.TryKillGroup(process.Id);
            process.Kill(entireProcessTree: true);
            await exited.WaitAsync(TimeSpan.FromSeconds(2));
        }
        finally
        {
            // Anything left in the group (a grandchild) goes with its leader.
            PosixSignals.TryKillGroup(process.Id);
        }
    }
}
