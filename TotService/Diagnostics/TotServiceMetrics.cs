using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TotService.Diagnostics;

/// <summary>
/// The service's own instruments on meter <c>TotMcp.TotService</c> (exported by ServiceDefaults' <c>TotMcp.*</c> rule).
/// Tag values are a closed set so series cannot explode.
/// </summary>
public sealed class TotServiceMetrics
{
    public const string MeterName = "TotMcp.TotService";

    private readonly Counter<long> _tokenValidations;
    private readonly Counter<long> _jwksRefreshes;
    private readonly Counter<long> _mcpRequests;
    private readonly Histogram<double> _mcpRequestDuration;
    private readonly Counter<long> _toolCalls;
    private readonly Histogram<double> _toolCallDuration;

    public TotServiceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _tokenValidations = meter.CreateCounter<long>(
            "totmcp.token.validations", "{validation}", "Bearer token validations by result.");
        _jwksRefreshes = meter.CreateCounter<long>(
            "totmcp.jwks.refreshes", "{refresh}", "JWKS fetches from KeyService by reason and result.");
        _mcpRequests = meter.CreateCounter<long>(
            "totmcp.mcp.requests", "{request}", "MCP HTTP requests by JSON-RPC method and outcome.");
        _mcpRequestDuration = meter.CreateHistogram<double>(
            "totmcp.mcp.request.duration", "s", "Duration of MCP HTTP requests by JSON-RPC method and outcome.");
        _toolCalls = meter.CreateCounter<long>(
            "totmcp.mcp.tool.calls", "{call}", "MCP tool calls by tool and outcome.");
        _toolCallDuration = meter.CreateHistogram<double>(
            "totmcp.mcp.tool.duration", "s", "Duration of MCP tool calls by tool and outcome.");
    }

    public void TokenValidated(string result) =>
        _tokenValidations.Add(1, new KeyValuePair<string, object?>("result", result));

    public void JwksRefreshed(string reason, string result) =>
        _jwksRefreshes.Add(1, new KeyValuePair<string, object?>("reason", reason), new KeyValuePair<string, object?>("result", result));

    public void McpRequestCompleted(string method, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "method", method }, { "outcome", outcome } };
        _mcpRequests.Add(1, tags);
        _mcpRequestDuration.Record(duration.TotalSeconds, tags);
    }

    public void ToolCallCompleted(string tool, string outcome, TimeSpan duration)
    {
        var tags = new TagList { { "tool", tool }, { "outcome", outcome } };
        _toolCalls.Add(1, tags);
        _toolCallDuration.Record(duration.TotalSeconds, tags);
    }
}
