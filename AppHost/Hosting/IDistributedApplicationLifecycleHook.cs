namespace AppHost.Hosting;

/// <summary>
/// A component that lives as long as the running app model (Aspire's lifecycle hook): the dashboard, the metrics
/// scraper, generated configuration. Called once ports are allocated, before any resource starts.
/// </summary>
public interface IDistributedApplicationLifecycleHook
{
    Task AfterEndpointsAllocatedAsync(DistributedApplication app, CancellationToken cancellationToken);

    /// <summary>Called when the app stops (may be called more than once).</summary>
    Task StopAsync();
}
