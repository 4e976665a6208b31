using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;
using TotService.Configuration;
using TotService.Diagnostics;
using TotService.Identity;

namespace TotService.Mcp;

/// <summary>
/// Counts the stateful MCP sessions each client (<c>sub</c>) holds in this replica, through the SDK's session run
/// hook, so <see cref="McpRequestGuard"/> can refuse an <c>initialize</c> beyond <c>TotService:Sessions:MaxPerClient</c>.
/// Idle sessions are closed by the SDK after <c>TotService:Sessions:IdleTimeout</c>. Instruments:
/// <c>totmcp.mcp.sessions</c> (open now) and <c>totmcp.mcp.sessions.refused</c>.
/// </summary>
public sealed class McpSessionLimiter
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly IOptions<TotServiceOptions> _options;
    private readonly UpDownCounter<long> _sessions;
    private readonly Counter<long> _refused;

    public McpSessionLimiter(IOptions<TotServiceOptions> options, IMeterFactory meterFactory)
    {
        _options = options;
        var meter = meterFactory.Create(TotServiceMetrics.MeterName);
        _sessions = meter.CreateUpDownCounter<long>("totmcp.mcp.sessions", "{session}", "Open stateful MCP sessions.");
        _refused = meter.CreateCounter<long>("totmcp.mcp.sessions.refused", "{session}", "MCP sessions refused by the per-client cap.");
    }

    public int MaxPerClient => _options.Value.Sessions.MaxPerClient;

    public int OpenSessions(string subject) => _open.GetValueOrDefault(subject);

    public bool CanOpen(string subject) => OpenSessions(subject) < MaxPerClient;

    public void Refused() => _refused.Add(1);

    /// <summary>The SDK's session run hook: the session counts for its client from start to end.</summary>
    public async Task RunSessionAsync(HttpContext context, McpServer server, CancellationToken cancellationToken)
    {
        var subject = context.User.FindFirst(TotClaims.Subject)?.Value ?? "";
        _open.AddOrUpdate(subject, 1, static (_, count) => count + 1);
        _sessions.Add(1);
        try
        {
            await server.RunAsync(cancellationToken);
        }
        finally
        {
            _sessions.Add(-1);
            if (_open.AddOrUpdate(subject, 0, static (_, count) => count - 1) <= 0)
            {
                _open.TryRemove(new KeyValuePair<string, int>(subject, 0));
            }
        }
    }
}
