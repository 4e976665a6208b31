namespace AppHost.Hosting.Model;

/// <summary>A resource the orchestrator runs as one or more local processes.</summary>
public abstract class ProcessResource(string name) : Resource(name)
{
    public int Replicas { get; set; } = 1;

    /// <summary>The primary endpoint's port for replica 0; <c>null</c> picks a free port.</summary>
    public int? Port { get; set; }

    /// <summary>Target port inside a container or pod (Kubernetes and manifest output).</summary>
    public int TargetPort { get; set; } = 8080;

    public string EndpointName { get; set; } = "http";

    public string Scheme { get; set; } = "http";

    /// <summary>Path polled for health; <c>null</c> for resources with their own probe (Redis).</summary>
    public string? HealthCheckPath { get; set; }

    public bool IsExternal { get; set; }

    public RestartPolicy Restart { get; set; } = RestartPolicy.Never;

    public IReadOnlyList<string> Arguments { get; set; } = [];
}

/// <summary>How the orchestrator reacts when a process exits on its own.</summary>
public sealed record RestartPolicy(int MaxRestarts, TimeSpan InitialBackoff, TimeSpan MaxBackoff)
{
    public static readonly RestartPolicy Never = new(0, TimeSpan.Zero, TimeSpan.Zero);

    public static RestartPolicy OnFailure(int maxRestarts = 5) =>
        new(maxRestarts, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(15));

    public TimeSpan BackoffFor(int attempt)
    {
        var delay = InitialBackoff * Math.Pow(2, Math.Max(0, attempt - 1));
        return delay < MaxBackoff ? delay : MaxBackoff;
    }
}
