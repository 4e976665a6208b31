using AppHost.Dashboard;
using AppHost.Hosting;
using AppHost.Hosting.Model;
using AppHost.Hosting.Testing;
using AppHost.Monitoring;
using Microsoft.Extensions.Configuration;

namespace AppHost.Extensions;

/// <summary>
/// The monitoring side of the app model: the AppHost's own dashboard and Prometheus as a local resource. Both are
/// on for <c>dotnet run</c> and off under the testing API unless a test turns them on (as Aspire does with its
/// dashboard), so the app-model tests see only the services.
/// </summary>
public static class MonitoringExtensions
{
    public static DashboardServer AddDashboard(this DistributedApplicationBuilder builder)
    {
        var options = new DashboardOptions();
        builder.Configuration.GetSection("AppHost:Dashboard").Bind(options);
        var dashboard = new DashboardServer(options);
        if (options.Enabled ?? !IsUnderTestingApi)
        {
            builder.LifecycleHooks.Add(dashboard);
            // Printed at start and again once everything is healthy, where the user is looking by then.
            builder.ReadyMessages.Add(_ => dashboard.LoginUrl is { } login ? $"Dashboard: {login}" : "Dashboard: not running (see the message above).");
        }
        return dashboard;
    }

    /// <summary>
    /// Adds Debian's <c>prometheus</c> as an executable resource scraping every project replica, with the deployment's
    /// alert rules (<c>aspirate-output/prometheus/alert-rules.yaml</c>, generated with the Kubernetes output). When the binary is missing the model runs without it
    /// and the dashboard says how to install it.
    /// </summary>
    public static PrometheusConfiguration AddPrometheus(this DistributedApplicationBuilder builder, string name = "prometheus")
    {
        var options = new PrometheusOptions();
        builder.Configuration.GetSection("AppHost:Prometheus").Bind(options);
        // A local tool only: never part of a published manifest or Kubernetes output.
        options.Enabled ??= !IsUnderTestingApi && string.IsNullOrEmpty(builder.Configuration["Publishing:Publisher"]);

        ExecutableResource? resource = null;
        if (options.Enabled == true && File.Exists(options.Path))
        {
            resource = builder.AddExecutable(name, options.Path, builder.Options.DataDirectory)
                .WithHttpHealthCheck("/-/ready")
                .Resource;
        }
        var configuration = new PrometheusConfiguration(options, resource);
        builder.LifecycleHooks.Add(configuration);
        return configuration;
    }

    private static bool IsUnderTestingApi => AppModelCapture.Current is not null;
}
