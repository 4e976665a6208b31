using System.Diagnostics.Metrics;

namespace TotService.Diagnostics;

/// <summary>
/// Bounds how many lines refused requests may write: at most <see cref="LinesPerSecond"/> a second per replica, the
/// rest counted in <c>totmcp.log.suppressed</c> by event. A flood of forged tokens or hostile bodies then costs the log
/// pipeline a constant, and the counter still shows its size.
/// </summary>
public sealed class LogSampler
{
    public const int LinesPerSecond = 20;

    private readonly TimeProvider _timeProvider;
    private readonly Counter<long> _suppressed;
    private readonly Lock _lock = new();
    private long _windowStart;
    private int _written;

    public LogSampler(TimeProvider timeProvider, IMeterFactory meterFactory)
    {
        _timeProvider = timeProvider;
        _suppressed = meterFactory.Create(TotServiceMetrics.MeterName)
            .CreateCounter<long>("totmcp.log.suppressed", "{line}", "Refusal log lines not written because the per-second budget was spent.");
        _windowStart = timeProvider.GetTimestamp();
    }

    /// <summary>True when the line may be written; false after counting it as suppressed.</summary>
    /// <param name="eventName">A closed-set event name (the metric tag).</param>
    public bool ShouldWrite(string eventName)
    {
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            if (_timeProvider.GetElapsedTime(_windowStart, now) >= TimeSpan.FromSeconds(1))
            {
                _windowStart = now;
                _written = 0;
            }
            if (_written < LinesPerSecond)
            {
                _written++;
                return true;
            }
        }
        _suppressed.Add(1, new KeyValuePair<string, object?>("event", eventName));
        return false;
    }
}
