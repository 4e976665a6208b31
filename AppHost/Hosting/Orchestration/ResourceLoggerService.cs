using System.Collections.Concurrent;

namespace AppHost.Hosting.Orchestration;

public sealed record LogLine(DateTimeOffset Timestamp, string Instance, string Text, bool IsError);

/// <summary>Keeps the recent console output of each resource instance and fans it out to watchers.</summary>
public sealed class ResourceLoggerService
{
    private const int LinesKept = 2_000;
    private readonly ConcurrentDictionary<string, Queue<LogLine>> _lines = new(StringComparer.Ordinal);

    public event Action<LogLine>? LineWritten;

    public IReadOnlyList<LogLine> GetLines(string instance)
    {
        if (!_lines.TryGetValue(instance, out var queue))
        {
            return [];
        }
        lock (queue)
        {
            return [.. queue];
        }
    }

    public IReadOnlyList<LogLine> GetLinesOfResource(string resource) =>
        [.. _lines.Keys.Where(k => k == resource || k.StartsWith(resource + "-", StringComparison.Ordinal))
            .SelectMany(GetLines).OrderBy(l => l.Timestamp)];

    internal void Write(string instance, string text, bool isError, TimeProvider time)
    {
        var line = new LogLine(time.GetUtcNow(), instance, text, isError);
        var queue = _lines.GetOrAdd(instance, _ => new Queue<LogLine>());
        lock (queue)
        {
            if (queue.Count == LinesKept)
            {
                queue.Dequeue();
            }
            queue.Enqueue(line);
        }
        LineWritten?.Invoke(line);
    }
}
