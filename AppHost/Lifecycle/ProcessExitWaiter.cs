using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AppHost.Lifecycle;

/// <summary>
/// Holds the AppHost's exit until the processes it started are gone (at most <see cref="Budget"/>). The orchestrator
/// stops them in the background after the AppHost has returned, which left their ports held for about 17 s measured
/// here: a second <c>dotnet run</c> straight after Ctrl+C would then find its ports taken.
/// </summary>
internal sealed class ProcessExitWaiter(
    ResourceNotificationService notifications, IHostApplicationLifetime lifetime, ILogger<ProcessExitWaiter> logger) : BackgroundService
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, int> _pids = new(StringComparer.Ordinal);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsLinux())
        {
            lifetime.ApplicationStopped.Register(WaitForExit);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value
                    && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
                {
                    _pids[update.ResourceId] = pid;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void WaitForExit()
    {
        var processes = _pids.Values.SelectMany(ProcessTree.WithDescendants).Distinct().Where(ProcessTree.IsAlive).ToList();
        if (processes.Count == 0)
        {
            return;
        }
        logger.LogInformation("Waiting for {Count} processes to stop.", processes.Count);
        var deadline = DateTime.UtcNow + Budget;
        while (processes.Any(ProcessTree.IsAlive) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }
    }
}

public static class ProcessExitWaiterExtensions
{
    /// <summary>Ctrl+C returns only when every process the AppHost started has exited (see <see cref="ProcessExitWaiter"/>).</summary>
    public static void WaitForProcessesOnExit(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsRunMode)
        {
            builder.Services.AddHostedService<ProcessExitWaiter>();
        }
    }
}
