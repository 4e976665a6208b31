using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TotService.Tests.Engine.Support;

/// <summary>Collects every long and double measurement published by meters of one factory.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener listener = new();

    public MetricRecorder(IMeterFactory factory)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        listener.Start();
    }

    public ConcurrentQueue<(string Instrument, string? Unit, double Value, Dictionary<string, object?> Tags)> Measurements { get; } = new();

    public double Sum(string instrument, string? tag = null, object? tagValue = null) => Measurements
        .Where(m => m.Instrument == instrument && (tag is null || Equals(m.Tags.GetValueOrDefault(tag), tagValue)))
        .Sum(m => m.Value);

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var tagMap = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            tagMap[tag.Key] = tag.Value;
        }

        Measurements.Enqueue((instrument.Name, instrument.Unit, value, tagMap));
    }
}
