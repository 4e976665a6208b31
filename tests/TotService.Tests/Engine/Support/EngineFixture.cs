using Microsoft.Extensions.Time.Testing;
using TotService.Engine.Diagnostics;
using TotService.Engine.Search;

namespace TotService.Tests.Engine.Support;

/// <summary>An engine on a fake clock with its own meters; one per test.</summary>
internal sealed class EngineFixture : IDisposable
{
    public EngineFixture()
    {
        Metrics = new EngineMetrics(MeterFactory);
        Recorder = new MetricRecorder(MeterFactory);
        Engine = new ThoughtSearchEngine(Time, Metrics);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public TestMeterFactory MeterFactory { get; } = new();

    public EngineMetrics Metrics { get; }

    public MetricRecorder Recorder { get; }

    public ThoughtSearchEngine Engine { get; }

    public void Dispose()
    {
        Recorder.Dispose();
        MeterFactory.Dispose();
    }
}
