namespace KeyService.Diagnostics;

public static class DiagnosticsExtensions
{
    /// <summary>The <c>TotMcp.KeyService</c> meter and activity source; ServiceDefaults exports both.</summary>
    public static IHostApplicationBuilder AddKeyServiceDiagnostics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<KeyServiceMetrics>();
        builder.Services.AddSingleton<KeyServiceTelemetry>();
        builder.Services.AddSingleton<AuditLog>();
        return builder;
    }
}
