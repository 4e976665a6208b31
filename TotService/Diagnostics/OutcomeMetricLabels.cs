using OpenTelemetry.Metrics;

namespace TotService.Diagnostics;

/// <summary>
/// <c>/metrics</c> needs no token, and the runtime's and ASP.NET Core's instruments tag failures with <c>error.type</c> =
/// the exception's type name (<c>SecurityTokenInvalidSignatureException</c> from token validation, whatever a bug threw
/// into the exception handler): that tells a stranger which libraries run and where they break, and every new exception type
/// is a new series. These views keep each instrument's outcome tags (status code, result) and drop <c>error.type</c>;
/// the service's own instruments name outcomes from closed sets.
/// </summary>
public static class OutcomeMetricLabels
{
    private static readonly Dictionary<string, string[]> KeptTags = new(StringComparer.Ordinal)
    {
        ["http.server.request.duration"] =
            ["http.request.method", "http.response.status_code", "http.route", "url.scheme", "network.protocol.version"],
        ["aspnetcore.diagnostics.exceptions"] = ["aspnetcore.diagnostics.exception.result"],
        ["aspnetcore.authentication.authenticate.duration"] = ["aspnetcore.authentication.scheme", "aspnetcore.authentication.result"],
        ["aspnetcore.authorization.attempts"] = ["aspnetcore.authorization.policy", "aspnetcore.authorization.result", "user.is_authenticated"],
        // Every first-chance exception in the process, by type: the total still shows a storm.
        ["dotnet.exceptions"] = [],
        ["kestrel.connection.duration"] =
            ["network.transport", "network.type", "network.protocol.name", "network.protocol.version", "server.address", "server.port", "tls.protocol.version"],
    };

    public static IHostApplicationBuilder AddOutcomeMetricLabels(this IHostApplicationBuilder builder)
    {
        builder.Services.ConfigureOpenTelemetryMeterProvider(metrics =>
        {
            foreach (var (instrument, tags) in KeptTags)
            {
                metrics.AddView(instrument, new MetricStreamConfiguration { TagKeys = tags });
            }
        });
        return builder;
    }
}
