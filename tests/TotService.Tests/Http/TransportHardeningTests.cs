using System.Net;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Http;

/// <summary>Origin and Host checks, body cap, per-client rate limit, and error bodies without internals.</summary>
public sealed class TransportHardeningTests : SecuredHostTest
{
    private const int RateLimitBurst = 8;

    protected override IDictionary<string, string?> Overrides => new Dictionary<string, string?>
    {
        ["TotService:RateLimit:TokenLimit"] = RateLimitBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TotService:RateLimit:TokensPerPeriod"] = "1",
        ["TotService:RateLimit:ReplenishmentPeriod"] = "00:00:30",
    };

    [Fact]
    public async Task Foreign_origin_is_refused_with_403_and_never_reaches_a_tool()
    {
        var token = Tokens.Valid(Key);
        var session = await RawMcpSession.OpenAsync(Host.Http, token);

        using var foreign = await session.SendAsync(token, session.ToolCall("probe"),
            request => request.Headers.Add("Origin", "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(0, Host.Invocations.Count);

        using var nullOrigin = await session.SendAsync(token, session.ToolCall("probe"),
            request => request.Headers.Add("Origin", "null"));
        Assert.Equal(HttpStatusCode.Forbidden, nullOrigin.StatusCode);
        Assert.Equal(0, Host.Invocations.Count);

        using var allowed = await session.SendAsync(token, session.ToolCall("probe"),
            request => request.Headers.Add("Origin", TestSettings.AllowedOrigin));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(1, Host.Invocations.Count);
    }

    [Fact]
    public async Task Foreign_host_is_refused()
    {
        using var response = await RawMcpSession.SendAsync(Host.Http, null, Tokens.Valid(Key), """{"jsonrpc":"2.0","id":1,"method":"ping"}""",
            request => request.Headers.Host = "rebound.attacker.example");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Body_over_the_limit_gets_413()
    {
        var token = Tokens.Valid(Key);
        var session = await RawMcpSession.OpenAsync(Host.Http, token);
        var huge = session.ToolCall("append_note", new { text = new string('x', 1100 * 1024) });

        using var declared = await session.SendAsync(token, huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);

        // Chunked: no Content-Length to refuse up front, so the cap must hold while reading.
        using var chunked = await session.SendAsync(token, huge, request => request.Headers.TransferEncodingChunked = true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Equal(0, Host.Invocations.Count);
    }

    [Fact]
    public async Task Large_chunked_body_is_checked_and_then_reaches_the_tool_whole()
    {
        // 300 KB sent chunked arrives in many reads and spans several of Kestrel's buffers: the gate must read it
        // all for the scope check without consuming it, and the SDK must then read the very same bytes.
        var writer = Tokens.Valid(Key, subject: "large-writer");
        var session = await RawMcpSession.OpenAsync(Host.Http, writer);
        var large = session.ToolCall("append_note", new { text = new string('x', 300 * 1024) });

        using var stored = await session.SendAsync(writer, large, request => request.Headers.TransferEncodingChunked = true);
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        Assert.Contains($"stored {300 * 1024}", (await RawMcpSession.ReadMessageAsync(stored)).ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, Host.Invocations.Count);

        // The same body with a read-only token: the scope check sees the tool name in the multi-buffer body too.
        var reader = Tokens.Valid(Key, scope: "tot:read", subject: "large-reader");
        var readerSession = await RawMcpSession.OpenAsync(Host.Http, reader);
        using var refused = await readerSession.SendAsync(reader, readerSession.ToolCall("append_note", new { text = new string('x', 300 * 1024) }),
            request => request.Headers.TransferEncodingChunked = true);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(1, Host.Invocations.Count);
    }

    [Fact]
    public async Task Rate_limit_per_subject_gives_429_with_retry_after_and_leaves_other_clients_alone()
    {
        var greedy = Tokens.Valid(Key, subject: "greedy");
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < RateLimitBurst + 3 && limited is null; i++)
        {
            var response = await RawMcpSession.InitializeAsync(Host.Http, greedy);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.Equal(RateLimitBurst, statuses.Count(status => status == HttpStatusCode.OK));
            var retryAfter = limited.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        }

        using var other = await RawMcpSession.InitializeAsync(Host.Http, Tokens.Valid(Key, subject: "patient"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":")]
    [InlineData("not json at all")]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\\ud800\"}")]
    [InlineData("")]
    public async Task Malformed_json_gets_a_json_rpc_parse_error_without_internals(string body)
    {
        var token = Tokens.Valid(Key);
        var session = await RawMcpSession.OpenAsync(Host.Http, token);

        using var response = await session.SendAsync(token, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var message = await RawMcpSession.ReadMessageAsync(response);
        Assert.Equal("2.0", message["jsonrpc"]!.GetValue<string>());
        Assert.Equal(-32700, message["error"]!["code"]!.GetValue<int>());
        AssertNoInternals(text);
    }

    [Fact]
    public async Task Failing_tool_reports_an_error_without_internals()
    {
        var token = Tokens.Valid(Key);
        var session = await RawMcpSession.OpenAsync(Host.Http, token);

        using var response = await session.SendAsync(token, session.ToolCall("explode"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, Host.Invocations.Count);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"isError\":true", text, StringComparison.Ordinal);
        AssertNoInternals(text);
    }

    [Fact]
    public async Task Http_errors_outside_mcp_are_problem_details_without_internals()
    {
        using var response = await Host.Http.GetAsync("/no-such-endpoint", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        AssertNoInternals(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(response.Headers.Contains("Server"));
    }

    private static void AssertNoInternals(string text)
    {
        Assert.DoesNotContain("SECRET-INTERNAL", text, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain(".cs:line", text, StringComparison.Ordinal);
    }
}
