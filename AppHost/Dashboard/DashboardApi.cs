using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using AppHost.Hosting;
using AppHost.Hosting.Orchestration;
using AppHost.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace AppHost.Dashboard;

/// <summary>The JSON and Server-Sent Events API the dashboard page reads.</summary>
internal static class DashboardApi
{
    private const int BacklogLines = 1_000;

    public static void MapDashboardApi(this IEndpointRouteBuilder routes, DashboardServer dashboard)
    {
        var api = routes.MapGroup("/api");
        api.MapGet("/info", () => GetInfo(dashboard)).WithName("GetDashboardInfo");
        api.MapGet("/resources", () => GetResources(dashboard.App)).WithName("GetResources");
        api.MapGet("/logs", (string? instance) => GetLogs(dashboard.App, instance)).WithName("GetLogs");
        api.MapGet("/logs/stream", (HttpContext context, string? instance, IHostApplicationLifetime lifetime) =>
            WriteLogStreamAsync(context, dashboard.App, instance, lifetime.ApplicationStopping))
            .WithName("StreamLogs");
        api.MapGet("/metrics", () => GetMetrics(dashboard.Collector)).WithName("GetMetrics");
    }

    public sealed record InfoResponse(string Application, string? PrometheusUrl, string? PrometheusUnavailable, string? PrometheusConfigFile, DateTimeOffset Now);

    public sealed record ResourcesResponse(DateTimeOffset Now, IReadOnlyList<ResourceView> Resources);

    public sealed record ResourceView(
        string Resource, string Instance, int Replica, string Kind, string State, string Health, int? Pid,
        IReadOnlyList<string> Urls, int? ExitCode, DateTimeOffset? StartedAt, int Restarts, string? Message);

    public sealed record LogLineView(DateTimeOffset Time, string Instance, string Text, bool IsError);

    public sealed record MetricsResponse(DateTimeOffset Now, IReadOnlyList<ChartData> Charts, IReadOnlyList<ScrapeTarget> Targets);

    private static Ok<InfoResponse> GetInfo(DashboardServer dashboard)
    {
        var prometheus = dashboard.App.Model.LifecycleHooks.OfType<PrometheusConfiguration>().FirstOrDefault();
        var url = prometheus?.Resource is { } resource ? dashboard.App.GetEndpoint(resource.Name).ToString() : null;
        var unavailable = prometheus is null
            ? $"Prometheus is not part of this app model (add builder.AddPrometheus() to AppHost/Program.cs; install it with: {PrometheusOptions.InstallHint})."
            : prometheus.UnavailableReason;
        return TypedResults.Ok(new InfoResponse(
            typeof(DashboardApi).Assembly.GetCustomAttribute<AssemblyProductAttribute>()?.Product ?? "AppHost",
            url, unavailable, prometheus?.ConfigFile, TimeProvider.System.GetUtcNow()));
    }

    private static Ok<ResourcesResponse> GetResources(DistributedApplication app) => TypedResults.Ok(new ResourcesResponse(
        TimeProvider.System.GetUtcNow(),
        [.. app.ResourceNotifications.Snapshots.Select(s => new ResourceView(
            s.Resource, s.InstanceName, s.Replica, s.Kind, s.State.ToString(), s.Health.ToString(), s.Pid, s.Urls, s.ExitCode,
            s.StartedAt, s.Restarts, s.Message))]));

    private static Ok<LogLineView[]> GetLogs(DistributedApplication app, string? instance) =>
        TypedResults.Ok(Backlog(app, instance).Select(View).ToArray());

    private static Ok<MetricsResponse> GetMetrics(MetricsCollector collector) =>
        TypedResults.Ok(new MetricsResponse(TimeProvider.System.GetUtcNow(), collector.History.Snapshot(), collector.Targets));

    private static LogLineView View(LogLine line) => new(line.Timestamp, line.Instance, line.Text, line.IsError);

    private static IEnumerable<LogLine> Backlog(DistributedApplication app, string? instance) =>
        (string.IsNullOrEmpty(instance)
            ? app.ResourceNotifications.Snapshots.SelectMany(s => app.ResourceLogs.GetLines(s.InstanceName)).OrderBy(l => l.Timestamp)
            : app.ResourceLogs.GetLines(instance).AsEnumerable()).TakeLast(BacklogLines);

    /// <summary>
    /// Server-Sent Events (<c>event: log</c>, one JSON line each). Headers go out at once, so a client sees the stream
    /// open even before a resource has written anything.
    /// </summary>
    private static async Task WriteLogStreamAsync(HttpContext context, DistributedApplication app, string? instance, CancellationToken stopping)
    {
        var cancellationToken = context.RequestAborted;
        context.Response.ContentType = "text/event-stream";
        await context.Response.Body.FlushAsync(cancellationToken);
        try
        {
            await foreach (var line in StreamLogsAsync(app, instance, stopping, cancellationToken))
            {
                await context.Response.WriteAsync($"event: log\ndata: {JsonSerializer.Serialize(line, JsonSerializerOptions.Web)}\n\n", cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser left.
        }
    }

    /// <summary>The recent lines, then every new line as it is written, until the client leaves or the AppHost stops.</summary>
    private static async IAsyncEnumerable<LogLineView> StreamLogsAsync(
        DistributedApplication app, string? instance, CancellationToken stopping, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });
        void OnLine(LogLine line)
        {
            if (string.IsNullOrEmpty(instance) || line.Instance == instance)
            {
                channel.Writer.TryWrite(line);
            }
        }

        // Subscribe before reading the backlog so nothing falls between the two; lines seen in both are skipped.
        app.ResourceLogs.LineWritten += OnLine;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancellationToken);
        try
        {
            var backlog = Backlog(app, instance).ToList();
            var seen = backlog.ToHashSet();
            foreach (var line in backlog)
            {
                yield return View(line);
            }
            while (true)
            {
                LogLine next;
                try
                {
                    next = await channel.Reader.ReadAsync(linked.Token);
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }
                if (!seen.Contains(next))
                {
                    yield return View(next);
                }
            }
        }
        finally
        {
            app.ResourceLogs.LineWritten -= OnLine;
        }
    }
}
