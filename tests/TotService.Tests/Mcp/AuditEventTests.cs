using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TotService.Diagnostics;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Mcp;

/// <summary>
/// Requests refused for scope, rate or an invalid token are audited under <c>TotService.Audit</c> with stable ids and
/// identifier fields, and nothing any category logs holds a token, the endpoint's API key or signing key material.
/// </summary>
public sealed class AuditEventTests : IAsyncLifetime
{
    private const int RateLimitBurst = 3;
    private const int MaxSessions = 2;

    private readonly FakeLogCollector _logs = new();
    private readonly string _apiKey = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
    private readonly List<string> _tokens = [];
    private TotServiceTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await TotServiceTestHost.StartAsync(new Dictionary<string, string?>
        {
            ["TotService:RateLimit:TokenLimit"] = RateLimitBurst.ToString(CultureInfo.InvariantCulture),
            ["TotService:RateLimit:TokensPerPeriod"] = "1",
            ["TotService:RateLimit:ReplenishmentPeriod"] = "00:00:30",
            ["TotService:Sessions:MaxPerClient"] = MaxSessions.ToString(CultureInfo.InvariantCulture),
            // A secret the service holds, so the check below has one to look for (never called: nothing runs).
            ["Llm:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Llm:Model"] = "audit-model",
            ["Llm:ApiKey"] = _apiKey,
        }, new FakeLoggerProvider(_logs));
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private TestSigningKey Key => _host.Key!;

    [Fact]
    public async Task A_tool_call_without_its_scope_is_audited_with_caller_tool_scopes_source_session_and_method()
    {
        var reader = Token("tot:read", "reader");
        var session = await RawMcpSession.OpenAsync(_host.Http, reader);

        using var refused = await session.SendAsync(reader, session.ToolCall("append_note", new { text = "hi" }));

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var record = Assert.Single(Audit());
        AssertEvent(record, 3001, "ToolCallForbidden", LogLevel.Warning, new()
        {
            ["ClientId"] = "reader",
            ["Subject"] = "reader",
            ["Tool"] = "append_note",
            ["RequiredScope"] = "tot:write",
            ["GrantedScopes"] = "tot:read",
            ["Source"] = "127.0.0.1",
            ["SessionId"] = session.SessionId,
            ["Method"] = "tools/call",
        });
        AssertNothingSecret();
    }

    [Fact]
    public async Task A_token_without_any_tot_scope_is_audited_as_forbidden_before_its_body_is_read()
    {
        var stranger = Token("other:scope keys:admin", "stranger");

        Assert.Equal(HttpStatusCode.Forbidden, await RawMcpSession.InitializeStatusAsync(_host.Http, stranger));

        AssertEvent(Assert.Single(Audit()), 3002, "McpAccessForbidden", LogLevel.Warning, new()
        {
            ["ClientId"] = "stranger",
            ["Subject"] = "stranger",
            ["RequiredScope"] = "tot:read",
            ["GrantedScopes"] = "keys:admin other:scope",
            ["Source"] = "127.0.0.1",
            ["SessionId"] = null,
            ["Method"] = "unknown",
        });
        AssertNothingSecret();
    }

    [Fact]
    public async Task A_rate_limited_request_is_audited_with_its_partition_and_retry_after()
    {
        var greedy = Token("tot:read tot:write", "greedy");
        var session = await RawMcpSession.OpenAsync(_host.Http, greedy); // two of the burst
        using (var last = await session.SendAsync(greedy, session.ToolsList()))
        {
            Assert.Equal(HttpStatusCode.OK, last.StatusCode);
        }
        Assert.Empty(Audit());

        using var limited = await session.SendAsync(greedy, session.ToolsList());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var record = Assert.Single(Audit());
        AssertEvent(record, 3101, "RateLimited", LogLevel.Warning, new()
        {
            ["ClientId"] = "greedy",
            ["Subject"] = "greedy",
            ["Partition"] = "greedy",
            ["RetryAfterSeconds"] = ((int)limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["Source"] = "127.0.0.1",
            ["SessionId"] = session.SessionId,
            ["Method"] = "unknown",
        });
        Assert.InRange(int.Parse(record.GetStructuredStateValue("RetryAfterSeconds")!, CultureInfo.InvariantCulture), 1, 30);
        AssertNothingSecret();
    }

    [Fact]
    public async Task An_initialize_over_the_session_cap_is_audited_with_the_cap()
    {
        var hoarder = Token("tot:read", "hoarder");
        for (var i = 0; i < MaxSessions; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await RawMcpSession.InitializeStatusAsync(_host.Http, hoarder));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await RawMcpSession.InitializeStatusAsync(_host.Http, hoarder));

        AssertEvent(Assert.Single(Audit()), 3102, "SessionLimitReached", LogLevel.Warning, new()
        {
            ["ClientId"] = "hoarder",
            ["Subject"] = "hoarder",
            ["MaxSessions"] = MaxSessions.ToString(CultureInfo.InvariantCulture),
            ["Source"] = "127.0.0.1",
            ["Method"] = "initialize",
        });
        AssertNothingSecret();
    }

    [Fact]
    public async Task Each_rejected_token_is_audited_once_with_its_result_and_a_missing_one_not_at_all()
    {
        var expired = Remember(Tokens.Create(Key.SecurityKey, new TokenSpec
        {
            Subject = "late", NotBeforeOffset = TimeSpan.FromMinutes(-20), Lifetime = TimeSpan.FromMinutes(19),
        }));
        var tampered = Remember(Tokens.Tampered(Key));
        var session = await RawMcpSession.OpenAsync(_host.Http, Token("tot:read", "opener"));

        Assert.Equal(HttpStatusCode.Unauthorized, await RawMcpSession.InitializeStatusAsync(_host.Http, null));
        Assert.Empty(Audit());
        Assert.Equal(HttpStatusCode.Unauthorized, await RawMcpSession.InitializeStatusAsync(_host.Http, expired));
        using var inSession = await session.SendAsync(tampered, session.ToolsList());
        Assert.Equal(HttpStatusCode.Unauthorized, inSession.StatusCode);

        var records = Audit();
        Assert.Equal(2, records.Count);
        AssertEvent(records[0], 3201, "TokenRejected", LogLevel.Warning, new()
        {
            ["Result"] = "expired",
            ["Source"] = "127.0.0.1",
            ["SessionId"] = null,
            ["Method"] = "unknown",
        });
        AssertEvent(records[1], 3201, "TokenRejected", LogLevel.Warning, new()
        {
            ["Result"] = "bad_signature",
            ["Source"] = "127.0.0.1",
            ["SessionId"] = session.SessionId,
            ["Method"] = "unknown",
        });
        AssertNothingSecret();
    }

    private string Token(string scope, string subject) => Remember(Tokens.Valid(Key, scope, subject));

    private string Remember(string token)
    {
        _tokens.Add(token);
        return token;
    }

    private List<FakeLogRecord> Audit() => [.. _logs.GetSnapshot().Where(r => r.Category == AuditLog.Category)];

    /// <summary>Id, name, level and exactly these fields (with <c>{OriginalFormat}</c>, the message template).</summary>
    private static void AssertEvent(FakeLogRecord record, int id, string name, LogLevel level, Dictionary<string, string?> fields)
    {
        Assert.Equal((id, name, level), (record.Id.Id, record.Id.Name, record.Level));
        var state = record.StructuredState!.Where(p => p.Key != "{OriginalFormat}").ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal(fields.OrderBy(f => f.Key, StringComparer.Ordinal), state.OrderBy(f => f.Key, StringComparer.Ordinal));
    }

    /// <summary>No record of any category, at any level, holds a presented token, the endpoint's API key or the private key.</summary>
    private void AssertNothingSecret()
    {
        var needles = _tokens.SelectMany(t => new[] { t, t.Split('.')[2] }).Where(n => n.Length > 0)
            .Append(_apiKey)
            .Concat(Key.PrivateMaterial())
            .ToList();
        var records = _logs.GetSnapshot();
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            var text = string.Join('\n', [record.Category, record.Id.Name, record.Message, record.Exception?.ToString(),
                .. record.StructuredState?.Select(p => $"{p.Key}={p.Value}") ?? [], .. record.Scopes.Select(s => s?.ToString())]);
            Assert.All(needles, needle => Assert.DoesNotContain(needle, text, StringComparison.Ordinal));
        }
    }
}
