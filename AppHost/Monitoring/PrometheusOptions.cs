using AppHost.Hosting;

namespace AppHost.Monitoring;

/// <summary>The <c>AppHost:Prometheus</c> configuration section.</summary>
public sealed class PrometheusOptions
{
    public const string DebianBinary = "/usr/bin/prometheus";

    public const string InstallHint = "sudo apt-get install prometheus";

    /// <summary>Start Prometheus when it is installed. Off by default under the testing API (as Aspire turns its dashboard off).</summary>
    public bool? Enabled { get; set; }

    public string Path { get; set; } = DebianBinary;

    /// <summary>Alert rules loaded with <c>rule_files</c>: the same file the Kubernetes output ships; skipped while it does not exist.</summary>
    public string RulesFile { get; set; } = System.IO.Path.Combine(DistributedApplicationBuilder.RepositoryRoot, "aspirate-output", "prometheus", "alert-rules.yaml");

    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(5);
}
