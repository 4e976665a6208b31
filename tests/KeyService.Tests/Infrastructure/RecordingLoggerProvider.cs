using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace KeyService.Tests.Infrastructure;

/// <summary>One log record as written: category, event, message and structured fields.</summary>
public sealed record LogRecord(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyDictionary<string, string?> Fields, string? Exception)
{
    public string? this[string field] => Fields.GetValueOrDefault(field);

    /// <summary>Everything the record would put in an exported log line.</summary>
    public string AllText => string.Join('\n', [Category, EventId.Name, Message, Exception, .. Fields.Select(f => $"{f.Key}={f.Value}")]);
}

/// <summary>Keeps every record the host logs, for tests that assert events and what they must never contain.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyList<LogRecord> Records => [.. _records];

    public IEnumerable<LogRecord> Category(string category) => Records.Where(r => r.Category == category);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _records);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<LogRecord> records) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(p => p.Key, p => p.Value is IFormattable f ? f.ToString(null, System.Globalization.CultureInfo.InvariantCulture) : p.Value?.ToString())
                : [];
            records.Enqueue(new LogRecord(category, logLevel, eventId, formatter(state, exception), fields, exception?.ToString()));
        }
    }
}
