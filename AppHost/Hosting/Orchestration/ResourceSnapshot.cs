namespace AppHost.Hosting.Orchestration;

public enum ResourceState
{
    NotStarted,
    Waiting,
    Starting,
    Running,
    Restarting,
    Exited,
    FailedToStart,
    Stopping,
    Finished,
}

public enum HealthStatus
{
    Unknown,
    Healthy,
    Unhealthy,
}

/// <summary>What the status table and dashboard show for one process of a resource.</summary>
public sealed record ResourceSnapshot(
    string Resource,
    string InstanceName,
    int Replica,
    string Kind,
    ResourceState State,
    HealthStatus Health,
    int? Pid,
    IReadOnlyList<string> Urls,
    int? ExitCode,
    DateTimeOffset? StartedAt,
    int Restarts,
    string? Message)
{
    public bool IsHealthy => State == ResourceState.Running && Health == HealthStatus.Healthy;

    public bool IsTerminal => State is ResourceState.Exited or ResourceState.FailedToStart or ResourceState.Finished;
}
