using System.Diagnostics;

namespace KeyService.Diagnostics;

/// <summary>The <c>TotMcp.KeyService</c> activity source (exported by ServiceDefaults), owned by the container.</summary>
public sealed class KeyServiceTelemetry : IDisposable
{
    public ActivitySource Source { get; } = new(KeyServiceMetrics.MeterName);

    public void Dispose() => Source.Dispose();
}
