namespace AppHost.Dashboard;

/// <summary>The <c>AppHost:Dashboard</c> configuration section.</summary>
public sealed class DashboardOptions
{
    public const int DefaultPort = 18888;

    /// <summary>Serve the dashboard. Off by default under the testing API, as in Aspire.Hosting.Testing.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Loopback port; tests (<c>AppHost:RandomPorts</c>) get a free one instead.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>How often every replica's <c>/metrics</c> is read for the charts.</summary>
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(2);
}
