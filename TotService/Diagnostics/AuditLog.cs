using System.Diagnostics.Metrics;
using System.Net;
using TotService.Identity;

namespace TotService.Diagnostics;

/// <summary>
/// Audit events under the log category <see cref="Category"/>, exported with the other logs (OTLP): MCP requests
/// refused for scope, rate or an invalid token. Event ids and names are stable (operators alert and query on them;
/// KeyService's are 2001-2206). Fields are identifiers only: never a token or an Authorization header. A refused request
/// writes one line at most, within <see cref="LogSampler"/>'s budget (event <see cref="RefusedEvent"/> for the
/// perimeter's own refusals of malformed requests).
/// </summary>
public sealed partial class AuditLog(ILoggerFactory loggerFactory, TimeProvider timeProvider, IMeterFactory meterFactory)
{
    public const string RefusedEvent = "RequestRefused";

    public const string Category = "TotService.Audit";

    /// <summary>Stands for a value the request does not carry (no client id claim, no peer address).</summary>
    public const string Unknown = "unknown";

    /// <summary>The session header is the client's to choose: cut here so it cannot flood the log.</summary>
    private const int MaxSessionIdLength = 128;

    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    private readonly LogSampler _sampler = new(timeProvider, meterFactory);

    [LoggerMessage(EventId = 3001, EventName = "ToolCallForbidden", Level = LogLevel.Warning,
        Message = "Tool {Tool} refused to {ClientId} ({Subject}) from {Source}: needs '{RequiredScope}', granted '{GrantedScopes}' ({Method}, session {SessionId})")]
    private partial void LogToolCallForbidden(
        string clientId, string subject, string tool, string requiredScope, string grantedScopes, string source, string? sessionId, string method);

    [LoggerMessage(EventId = 3002, EventName = "McpAccessForbidden", Level = LogLevel.Warning,
        Message = "MCP refused to {ClientId} ({Subject}) from {Source}: needs '{RequiredScope}', granted '{GrantedScopes}' ({Method}, session {SessionId})")]
    private partial void LogMcpAccessForbidden(
        string clientId, string subject, string requiredScope, string grantedScopes, string source, string? sessionId, string method);

    [LoggerMessage(EventId = 3101, EventName = "RateLimited", Level = LogLevel.Warning,
        Message = "MCP request of {ClientId} ({Subject}) from {Source} rate limited in partition {Partition}, retry after {RetryAfterSeconds} s ({Method}, session {SessionId})")]
    private partial void LogRateLimited(
        string clientId, string subject, string partition, int retryAfterSeconds, string source, string? sessionId, string method);

    [LoggerMessage(EventId = 3102, EventName = "SessionLimitReached", Level = LogLevel.Warning,
        Message = "MCP session refused to {ClientId} ({Subject}) from {Source}: {MaxSessions} sessions already open ({Method})")]
    private partial void LogSessionLimitReached(string clientId, string subject, int maxSessions, string source, string method);

    [LoggerMessage(EventId = 3201, EventName = "TokenRejected", Level = LogLevel.Warning,
        Message = "Bearer token rejected ({Result}) from {Source} ({Method}, session {SessionId})")]
    private partial void LogTokenRejected(string result, string source, string? sessionId, string method);

    [LoggerMessage(EventId = 3301, EventName = RefusedEvent, Level = LogLevel.Warning,
        Message = "MCP request from {Source} refused with {Status} ({Method}): {Reason}")]
    private partial void LogRequestRefused(string source, int status, string method, string reason);

    /// <summary>A <c>tools/call</c> answered 403 <c>insufficient_scope</c>; <paramref name="tool"/> is a registered tool's name.</summary>
    public void ToolCallForbidden(HttpContext context, string tool, string requiredScope, string method)
    {
        if (!_sampler.ShouldWrite("ToolCallForbidden"))
        {
            return;
        }
        var caller = context.User.Identity as CallerIdentity;
        LogToolCallForbidden(ClientIdOf(caller), caller?.Subject ?? "", tool, requiredScope, GrantedScopesOf(context), SourceOf(context), SessionIdOf(context), method);
    }

    /// <summary>A valid token without any tot scope, refused by <c>/mcp</c>'s policy before the body is read.</summary>
    public void McpAccessForbidden(HttpContext context, string requiredScope, string method)
    {
        if (!_sampler.ShouldWrite("McpAccessForbidden"))
        {
            return;
        }
        var caller = context.User.Identity as CallerIdentity;
        LogMcpAccessForbidden(ClientIdOf(caller), caller?.Subject ?? "", requiredScope, GrantedScopesOf(context), SourceOf(context), SessionIdOf(context), method);
    }

    public void RateLimited(HttpContext context, string partition, int retryAfterSeconds, string method)
    {
        if (!_sampler.ShouldWrite("RateLimited"))
        {
            return;
        }
        var caller = context.User.Identity as CallerIdentity;
        LogRateLimited(ClientIdOf(caller), caller?.Subject ?? "", partition, retryAfterSeconds, SourceOf(context), SessionIdOf(context), method);
    }

    public void SessionLimitReached(HttpContext context, int maxSessions, string method)
    {
        if (!_sampler.ShouldWrite("SessionLimitReached"))
        {
            return;
        }
        var caller = context.User.Identity as CallerIdentity;
        LogSessionLimitReached(ClientIdOf(caller), caller?.Subject ?? "", maxSessions, SourceOf(context), method);
    }

    /// <param name="result">A <c>Authentication.TokenFailureClassifier</c> value: the token's claims are unverified, so none is logged.</param>
    public void TokenRejected(HttpContext context, string result, string method)
    {
        if (_sampler.ShouldWrite("TokenRejected"))
        {
            LogTokenRejected(result, SourceOf(context), SessionIdOf(context), method);
        }
    }

    /// <param name="method">A closed-set method tag.</param>
    /// <param name="reason">The server's own message (never text the client sent).</param>
    public void RequestRefused(HttpContext context, int status, string method, string reason)
    {
        if (_sampler.ShouldWrite(RefusedEvent))
        {
            LogRequestRefused(SourceOf(context), status, method, reason);
        }
    }

    /// <summary>The peer's address, an IPv4-mapped IPv6 one as IPv4.</summary>
    public static string SourceOf(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => Unknown,
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        IPAddress address => address.ToString(),
    };

    private static string? SessionIdOf(HttpContext context)
    {
        var value = context.Request.Headers["Mcp-Session-Id"].ToString();
        return value.Length == 0 ? null : value.Length <= MaxSessionIdLength ? value : value[..MaxSessionIdLength] + "…";
    }

    private static string ClientIdOf(CallerIdentity? caller) => caller?.ClientId is { Length: > 0 } id ? id : Unknown;

    private static string GrantedScopesOf(HttpContext context) =>
        context.User.Identity is CallerIdentity caller
            ? string.Join(' ', caller.SortedScopes)
            : string.Join(' ', context.User.Granted().Order(StringComparer.Ordinal));
}
