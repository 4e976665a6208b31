using System.Net;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Mcp;

/// <summary>The service's own instruments, as Prometheus scrapes them from /metrics.</summary>
public sealed class MetricsTests : SecuredHostTest
{
    [Fact]
    public async Task Token_validations_requests_and_tool_calls_are_exported()
    {
        var token = Tokens.Valid(Key);
        var session = await RawMcpSession.OpenAsync(Host.Http, token);
        using (var call = await session.SendAsync(token, session.ToolCall("probe")))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }
        using (var expired = await session.SendAsync(
            Tokens.Create(Key.SecurityKey, new TokenSpec { NotBeforeOffset = TimeSpan.FromMinutes(-30), Lifetime = TimeSpan.FromMinutes(20) }),
            session.ToolCall("probe")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        }
        using (var missing = await session.SendAsync(null, session.ToolCall("probe")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        }

        (string Name, string[] Labels)[] expected =
        [
            ("totmcp_token_validations_total", ["result=\"ok\""]),
            ("totmcp_token_validations_total", ["result=\"expired\""]),
            ("totmcp_token_validations_total", ["result=\"missing\""]),
            ("totmcp_jwks_refreshes_total", ["reason=\"initial\"", "result=\"ok\""]),
            ("totmcp_mcp_requests_total", ["method=\"tools/call\"", "outcome=\"ok\""]),
            ("totmcp_mcp_requests_total", ["outcome=\"unauthorized\""]),
            ("totmcp_mcp_request_duration_seconds_bucket", ["method=\"initialize\"", "outcome=\"ok\"", "le="]),
            ("totmcp_mcp_tool_calls_total", ["tool=\"probe\"", "outcome=\"ok\""]),
            ("totmcp_mcp_tool_duration_seconds_bucket", ["tool=\"probe\"", "outcome=\"ok\"", "le="]),
        ];

        // The exporter caches a scrape briefly; poll within a bound until every series shows up.
        var lines = await PrometheusScrape.WaitForSeriesAsync(Host.Http, expected);
        Assert.Contains(lines, line => line.StartsWith("totmcp_", StringComparison.Ordinal) && line.Contains("otel_scope_name=\"TotMcp.TotService\"", StringComparison.Ordinal));
    }
}
