namespace AppHost.Hosting;

/// <summary>How the orchestrator runs this app model (the <c>AppHost</c> configuration section).</summary>
public sealed class AppHostOptions
{
    /// <summary>Ignore fixed ports and pick free ones (tests, several app models side by side).</summary>
    public bool RandomPorts { get; set; }

    /// <summary>Holds generated parameters and each resource's data; git-ignored.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>Tests use a throw-away data folder, removed when the application is disposed.</summary>
    public bool DeleteDataDirectoryOnDispose { get; set; }

    /// <summary>Environment passed to projects as <c>ASPNETCORE_ENVIRONMENT</c>.</summary>
    public string EnvironmentName { get; set; } = "Development";

    /// <summary>Write the status table and resource logs to the console.</summary>
    public bool ConsoleOutput { get; set; } = true;

    /// <summary>How long graceful shutdown may take before processes are killed.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>How long a resource may take to become healthy before it is reported as failing.</summary>
    public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>OTLP collector (e.g. a standalone Aspire dashboard) every resource exports to, when set.</summary>
    public string? OtlpEndpoint { get; set; }

    public string OtlpProtocol { get; set; } = "grpc";
}
