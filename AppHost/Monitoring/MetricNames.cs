namespace AppHost.Monitoring;

/// <summary>
/// The one place that names the services' Prometheus series the dashboard charts. Names are as the OpenTelemetry
/// Prometheus exporter writes them (dots become underscores, counters end in <c>_total</c>, units are suffixed).
/// </summary>
public static class MetricNames
{
    /// <summary>ASP.NET Core's server histogram (<c>http.server.request.duration</c>), seconds.</summary>
    public const string HttpRequestDuration = "http_server_request_duration_seconds";

    public const string HttpStatusCodeLabel = Publishing.Monitoring.MetricNames.HttpStatusCodeLabel;

    /// <summary>Tokens issued by KeyService, labelled <c>result</c> (e.g. <c>success</c>, <c>failure</c>).</summary>
    public const string TokensIssued = Publishing.Monitoring.MetricNames.TokensIssued;

    public const string TokensIssuedResultLabel = Publishing.Monitoring.MetricNames.TokenResultLabel;

    /// <summary>Age of the active signing key, seconds (gauge).</summary>
    public const string SigningKeyAge = Publishing.Monitoring.MetricNames.SigningKeyAge;

    public const string JwksRequests = "keyservice_jwks_requests_total";

    /// <summary>MCP tool calls, labelled <c>tool</c> and <c>outcome</c>.</summary>
    public const string McpToolCalls = "totmcp_mcp_tool_calls_total";

    public const string McpToolLabel = "tool";

    /// <summary>Tree-of-Thoughts runs in progress (gauge).</summary>
    public const string TotRunsActive = "totmcp_tot_runs_active";

    /// <summary>Tree-of-Thoughts runs ended, labelled <c>outcome</c> (<c>solved</c>, <c>unsolved</c>, <c>cancelled</c>, <c>failed</c>, <c>lost</c>).</summary>
    public const string TotRunsTotal = Publishing.Monitoring.MetricNames.TotRuns;

    public const string TotRunsOutcomeLabel = "outcome";
}
