using AppHost.Hosting;
using AppHost.Hosting.Orchestration;

namespace AppHost.Monitoring;

/// <summary>How the last scrape of one replica went (shown as the metrics view's target list).</summary>
public sealed record ScrapeTarget(string Service, string Instance, string Url, bool Up, string? Error, DateTimeOffset? LastScrape);

/// <summary>
/// Scrapes every running project replica's <c>/metrics</c> on a timer and feeds <see cref="MetricsHistory"/>.
/// Replicas are found through the resource snapshots, so restarts, new ports and replica counts need no wiring.
/// </summary>
public sealed class MetricsCollector : IAsyncDisposable
{
    private readonly DistributedApplication _app;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly Dictionary<string, (int? Pid, DateTimeOffset Time, IReadOnlyList<MetricSample> Samples)> _previous = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Dictionary<string, ScrapeTarget> _targets = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;

    public MetricsCollector(DistributedApplication app, TimeSpan interval, TimeProvider time)
    {
        _app = app;
        _interval = interval;
        _time = time;
        _http.DefaultRequestHeaders.Accept.ParseAdd("text/plain; version=0.0.4");
    }

    public MetricsHistory History { get; } = new();

    public IReadOnlyList<ScrapeTarget> Targets => [.. Volatile.Read(ref _targets).Values.OrderBy(t => t.Instance, StringComparer.Ordinal)];

    public void Start() => _loop = RunAsync(_stopping.Token);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            do
            {
                await ScrapeOnceAsync(cancellationToken);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    internal async Task ScrapeOnceAsync(CancellationToken cancellationToken)
    {
        var replicas = _app.ResourceNotifications.Snapshots
            .Where(s => s.Kind == "Project" && s.State == ResourceState.Running && s.Urls.Count > 0)
            .ToList();
        var scrapes = await Task.WhenAll(replicas.Select(r => ScrapeAsync(r, cancellationToken)));

        var targets = new Dictionary<string, ScrapeTarget>(StringComparer.Ordinal);
        var values = new List<ChartValue>();
        foreach (var service in scrapes.GroupBy(s => s.Target.Service, StringComparer.Ordinal))
        {
            var intervals = new List<ScrapeInterval>();
            foreach (var (target, interval) in service)
            {
                targets[target.Instance] = target;
                if (interval is not null)
                {
                    intervals.Add(interval);
                }
            }
            values.AddRange(MetricsCalculator.Compute(service.Key, intervals));
        }
        Volatile.Write(ref _targets, targets);
        History.Record(_time.GetUtcNow(), values);
    }

    private async Task<(ScrapeTarget Target, ScrapeInterval? Interval)> ScrapeAsync(ResourceSnapshot replica, CancellationToken cancellationToken)
    {
        var url = replica.Urls[0].TrimEnd('/') + "/metrics";
        var now = _time.GetUtcNow();
        try
        {
            var samples = PrometheusTextParser.Parse(await _http.GetStringAsync(new Uri(url), cancellationToken));
            ScrapeInterval? interval = null;
            lock (_previous)
            {
                // The first scrape of a (re)started process only sets the baseline for rates.
                if (_previous.TryGetValue(replica.InstanceName, out var previous) && previous.Pid == replica.Pid)
                {
                    interval = new ScrapeInterval(previous.Samples, samples, (now - previous.Time).TotalSeconds);
                }
                _previous[replica.InstanceName] = (replica.Pid, now, samples);
            }
            return (new ScrapeTarget(replica.Resource, replica.InstanceName, url, true, null, now), interval);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (new ScrapeTarget(replica.Resource, replica.InstanceName, url, false, ex.Message, now), null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop;
        _http.Dispose();
        _stopping.Dispose();
    }
}
