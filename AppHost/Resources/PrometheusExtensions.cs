using System.Text;
using AppHost.Lifecycle;

namespace AppHost.Resources;

public static class PrometheusExtensions
{
    /// <summary>The namespace label of the published alert rules.</summary>
    private const string Namespace = "tot-mcp";

    /// <summary>
    /// Debian's <c>prometheus</c> as a local resource, when installed: it scrapes every service instance's
    /// <c>/metrics</c> with the alert rules the Kubernetes output carries. A local tool only, never published.
    /// </summary>
    public static void AddPrometheus(
        this IDistributedApplicationBuilder builder, AppHostSettings settings, PrivateRunFolder runFolder, params ProjectInstances[] services)
    {
        if (!builder.ExecutionContext.IsRunMode || !settings.Prometheus || !File.Exists(settings.PrometheusPath))
        {
            return;
        }
        var port = FreePort.Next();
        var rules = Path.Combine(RepositoryPaths.Root, "aspirate-output", "prometheus", "alert-rules.yaml");
        builder.AddExecutable("prometheus", settings.PrometheusPath, runFolder.Path)
            .WithHttpEndpoint(port: port, targetPort: port, isProxied: false)
            .WithArgs(async context =>
            {
                var config = new StringBuilder()
                    .AppendLine("global: { scrape_interval: 5s, evaluation_interval: 5s }")
                    .AppendLine($"rule_files: [\"{rules}\"]")
                    .AppendLine("scrape_configs:");
                foreach (var service in services)
                {
                    var targets = new List<string>();
                    foreach (var instance in service)
                    {
                        targets.Add(await instance.GetEndpoint("http").Property(EndpointProperty.HostAndPort).GetValueAsync(context.CancellationToken) ?? "");
                    }
                    // The labels the cluster's targets carry, so the alert rules evaluate the same way here.
                    config.AppendLine($"  - job_name: {service.Name}")
                        .AppendLine($"    static_configs: [{{ targets: [{string.Join(", ", targets.Select(t => $"\"{t}\""))}], labels: {{ namespace: {Namespace} }} }}]");
                }
                var file = Path.Combine(runFolder.Path, "prometheus.yml");
                await File.WriteAllTextAsync(file, config.ToString(), context.CancellationToken);
                context.Args.Add($"--config.file={file}");
                context.Args.Add($"--storage.tsdb.path={runFolder.CreateSubfolder("prometheus-data")}");
                context.Args.Add($"--web.listen-address=127.0.0.1:{port}");
            })
            .WithHttpHealthCheck("/-/ready")
            .WithIconName("ChartMultiple");
    }
}
