using System.Diagnostics;

namespace TotService.Engine.Diagnostics;

/// <summary>Traces of searches: one <c>tot.search</c> span per run, one <c>tot.expand</c> span per expansion.</summary>
public static class EngineActivities
{
    /// <summary>Register this with OpenTelemetry (<c>AddSource</c>) to export the engine's spans.</summary>
    public const string SourceName = EngineMetrics.MeterName;

    internal static ActivitySource Source { get; } = new(SourceName);
}
