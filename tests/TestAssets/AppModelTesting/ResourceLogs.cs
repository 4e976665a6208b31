using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace AppModelTesting;

/// <summary>Every console line of the watched resources since start, with the time it arrived (for failure messages).</summary>
public sealed class ResourceLogs : IDisposable
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(DateTimeOffset Time, string Text)>> _lines = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    public static ResourceLogs Empty { get; } = new();

    public static ResourceLogs Watch(DistributedApplication app, IEnumerable<string> resources)
    {
        var logs = new ResourceLogs();
        var service = app.Services.GetRequiredService<ResourceLoggerService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var resource in resources)
        {
            var queue = logs._lines.GetOrAdd(resource, _ => new());
            // By the model's resource: the logger keys its streams by the orchestrator's name (e.g. "redis-abcdwxyz").
            var modelResource = model.Resources.Single(r => r.Name == resource);
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in service.WatchAsync(modelResource).WithCancellation(logs._stop.Token))
                    {
                        foreach (var line in batch)
                        {
                            queue.Enqueue((DateTimeOffset.UtcNow, line.Content));
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            });
        }
        return logs;
    }

    public IReadOnlyList<(DateTimeOffset Time, string Text)> Lines(string resource) =>
        _lines.TryGetValue(resource, out var queue) ? queue.ToArray() : [];

    public string Tail(string resource, int count) =>
        string.Join('\n', Lines(resource).TakeLast(count).Select(l => $"{resource} | {l.Text}"));

    /// <summary>
    /// <see cref="Tail"/> for a resource that just failed: its backlog reaches the watcher a moment after the failure is
    /// reported, so this waits (at most 5 s) until the lines stop coming.
    /// </summary>
    public async Task<string> TailAsync(string resource, int count)
    {
        var seen = -1;
        for (var wait = 0; wait < 25 && (Lines(resource).Count != seen || seen == 0); wait++)
        {
            seen = Lines(resource).Count;
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        return Tail(resource, count);
    }

    /// <summary>Lines of every resource since <paramref name="since"/>, in arrival order, labelled with the resource.</summary>
    public IEnumerable<string> Since(DateTimeOffset since) =>
        _lines.SelectMany(r => r.Value.Where(l => l.Time >= since).Select(l => (r.Key, l.Time, l.Text)))
            .OrderBy(l => l.Time)
            .Select(l => $"{l.Time:HH:mm:ss.fff} {l.Key} | {l.Text}");

    public void Dispose() => _stop.Cancel();
}
