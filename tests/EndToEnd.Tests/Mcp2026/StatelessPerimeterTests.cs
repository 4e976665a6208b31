using System.Net;
using EndToEnd.Tests.Infrastructure;
using static EndToEnd.Tests.Mcp2026.RawMcp;

namespace EndToEnd.Tests.Mcp2026;

/// <summary>
/// 2026-07-28 requests at the HTTP level against the real app model: what a well-formed request gets (discover, cache
/// hints), and that every hostile variant gets a 4xx in the server's words, never a 5xx or an SDK's internals.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class StatelessPerimeterTests(EndToEndAppModel model)
{
    private const string HighSurrogate = "\\ud800";

    [Fact]
    public async Task Server_discover_answers_server_info_capabilities_and_cache_hints_on_every_replica()
    {
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        for (var instance = 0; instance < model.TotServiceInstances; instance++)
        {
            using var http = model.CreateHttpClient(model.TotServices[instance]);
            var (status, message, raw) = await SendAsync(http, Post(token, Request("server/discover"), Headers("server/discover")));

            Assert.True(status == HttpStatusCode.OK, raw);
            var result = message.GetProperty("result");
            Assert.Equal("TotService", result.GetProperty("_meta").GetProperty("io.modelcontextprotocol/serverInfo").GetProperty("name").GetString());
            Assert.True(result.GetProperty("capabilities").TryGetProperty("tools", out _), raw);
            Assert.Contains(result.GetProperty("supportedVersions").EnumerateArray(), v => v.GetString() == Revision);
            Assert.True(result.TryGetProperty("ttlMs", out _), raw);
            Assert.True(result.TryGetProperty("cacheScope", out _), raw);
        }
    }

    [Fact]
    public async Task Tools_list_tells_the_client_it_may_keep_the_list_five_minutes_for_itself_only()
    {
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = model.CreateHttpClient(model.TotServices[1]);
        var (status, message, raw) = await SendAsync(http, Post(token, Request("tools/list"), Headers("tools/list")));

        Assert.True(status == HttpStatusCode.OK, raw);
        var result = message.GetProperty("result");
        Assert.Equal(300_000, result.GetProperty("ttlMs").GetInt32());
        Assert.Equal("private", result.GetProperty("cacheScope").GetString());
        Assert.NotEmpty(result.GetProperty("tools").EnumerateArray());
    }

    [Fact]
    public async Task A_tool_named_in_mcp_name_that_disagrees_with_the_body_is_never_called()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await model.GetTokenAsync(cancellationToken: cancellationToken);
        using var http = model.CreateHttpClient(model.TotServices[0]);
        var marker = "mismatch " + Guid.NewGuid().ToString("N");
        var start = Request("tools/call", $$"""
            "name":"tot_start_run","arguments":{"task":"{{marker}}","provider":"domain","domain":"general"}
            """);

        var (status, message, raw) = await SendAsync(http, Post(token, start, Headers("tools/call", "server_info")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(-32020, ErrorCode(message));
        AssertOurWords(raw);

        (status, message, raw) = await SendAsync(http, Post(token, start, Headers("tools/list")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(-32020, ErrorCode(message));

        // Neither request started a run: the caller's list does not know the marker.
        var (listStatus, _, listRaw) = await SendAsync(http, Post(token,
            Request("tools/call", """ "name":"tot_list_runs","arguments":{} """), Headers("tools/call", "tot_list_runs")));
        Assert.True(listStatus == HttpStatusCode.OK, listRaw);
        Assert.DoesNotContain(marker, listRaw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tool_scope_is_decided_from_the_headers_before_the_body_is_read()
    {
        var token = await model.GetTokenAsync(scope: "tot:read", cancellationToken: TestContext.Current.CancellationToken);
        using var http = model.CreateHttpClient(model.TotServices[0]);
        using var request = Post(token, "this body is never read", Headers("tools/call", "tot_start_run"));
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("insufficient_scope", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, (string, string)[], int, int> HostileRequests() => new()
    {
        { "no Mcp-Method", Request("tools/list"), [("MCP-Protocol-Version", Revision)], 400, -32020 },
        { "two Mcp-Method", Request("tools/list"), [("MCP-Protocol-Version", Revision), ("Mcp-Method", "tools/list"), ("Mcp-Method", "tools/list")], 400, -32020 },
        // HttpClient folds repeated headers into one comma-joined value, which is no version at all.
        { "two versions", Request("tools/list"), [("MCP-Protocol-Version", Revision), ("MCP-Protocol-Version", Revision), ("Mcp-Method", "tools/list")], 400, -32022 },
        { "no Mcp-Name", Request("tools/call", """ "name":"server_info" """), Headers("tools/call"), 400, -32020 },
        { "two Mcp-Name", Request("tools/call", """ "name":"server_info" """), [.. Headers("tools/call", "server_info"), ("Mcp-Name", "server_info")], 400, -32020 },
        { "unknown version", Request("tools/list", meta: Meta("2099-01-01")), Headers("tools/list", version: "2099-01-01"), 400, -32022 },
        { "version differs from _meta", Request("tools/list", meta: Meta("2025-11-25")), Headers("tools/list"), 400, -32020 },
        { "no _meta", """{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{}}""", Headers("tools/list"), 400, -32602 },
        { "_meta not an object", """{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"_meta":[1,2]}}""", Headers("tools/list"), 400, -32602 },
        { "capabilities missing", """{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}""", Headers("tools/list"), 400, -32602 },
        { "huge _meta", Request("tools/list", meta: Meta(extra: $$""","padding":"{{new string('x', 20_000)}}" """)), Headers("tools/list"), 400, -32602 },
        { "lone surrogate as the version", Request("ping", meta: $$"""{"io.modelcontextprotocol/protocolVersion":"{{HighSurrogate}}"}"""), Headers("ping"), 400, -32700 },
        { "lone surrogate in _meta", Request("tools/list", meta: Meta(extra: $$""","x":"a{{HighSurrogate}}b" """)), Headers("tools/list"), 400, -32700 },
        { "lone surrogate in an unknown argument", Request("tools/call", $$""" "name":"server_info","arguments":{"extra":"{{HighSurrogate}}"} """), Headers("tools/call", "server_info"), 400, -32700 },
        { "lone surrogate in a property name", Request("tools/call", $$""" "name":"whoami","arguments":{"{{HighSurrogate}}":1} """), Headers("tools/call", "whoami"), 400, -32700 },
        { "removed method ping", Request("ping"), Headers("ping"), 404, -32601 },
        { "removed method initialize", Request("initialize", """ "protocolVersion":"2026-07-28","capabilities":{},"clientInfo":{"name":"x","version":"1"} """), Headers("initialize"), 404, -32601 },
        { "no version, no session", """{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{}}""", [], 400, -32001 },
        { "lone surrogate in initialize", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"" + HighSurrogate + "\",\"version\":\"1\"}}}", [], 400, -32700 },
    };

    [Theory]
    [MemberData(nameof(HostileRequests))]
    public async Task A_hostile_request_gets_a_4xx_in_our_words(string variant, string body, (string, string)[] headers, int expectedStatus, int expectedCode)
    {
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = model.CreateHttpClient(model.TotServices[0]);
        var (status, message, raw) = await SendAsync(http, Post(token, body, headers));

        Assert.True((int)status == expectedStatus, $"{variant}: {(int)status} {raw}");
        Assert.True(ErrorCode(message) == expectedCode, $"{variant}: {raw}");
        AssertOurWords(raw);
        if (expectedCode == -32022)
        {
            Assert.Contains(message.GetProperty("error").GetProperty("data").GetProperty("supported").EnumerateArray(), v => v.GetString() == Revision);
        }
    }

    [Theory]
    [InlineData("2026-07-28", 405)]
    [InlineData(null, 400)]
    public async Task The_event_stream_and_session_end_are_refused_without_a_session_in_our_words(string? version, int expectedStatus)
    {
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = model.CreateHttpClient(model.TotServices[0]);
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, "/mcp");
            request.Headers.Authorization = new("Bearer", token);
            request.Headers.Accept.ParseAdd("text/event-stream");
            if (version is not null)
            {
                request.Headers.Add("MCP-Protocol-Version", version);
            }
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            Assert.True((int)response.StatusCode == expectedStatus, $"{method} {version}: {(int)response.StatusCode} {raw}");
            AssertOurWords(raw);
        }
    }

    [Fact]
    public async Task A_client_that_offers_its_model_is_served_without_a_session()
    {
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = model.CreateHttpClient(model.TotServices[0]);
        var meta = """{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{"sampling":{}}}""";
        var (status, message, raw) = await SendAsync(http, Post(token, Request("server/discover", meta: meta), Headers("server/discover")));

        Assert.True(status == HttpStatusCode.OK, raw);
        Assert.Contains(message.GetProperty("result").GetProperty("supportedVersions").EnumerateArray(), v => v.GetString() == Revision);
        Assert.True(message.GetProperty("result").GetProperty("capabilities").GetProperty("extensions").TryGetProperty("io.modelcontextprotocol/tasks", out _), raw);
    }

    [Fact]
    public async Task Hostile_bodies_from_the_fuzzer_never_get_a_5xx()
    {
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var http = model.CreateHttpClient(model.TotServices[0]);
        var random = new Random(2026_07_28);
        string[] pieces = ["\\ud800", "\\udfff", "\\ud800\\u0041", "\\u0000", "\u00e9", "\\\"", "{}", "[]", "null", "1e999"];
        for (var i = 0; i < 60; i++)
        {
            var text = string.Concat(Enumerable.Range(0, 3).Select(_ => pieces[random.Next(pieces.Length)]));
            var body = (i % 3) switch
            {
                0 => Request("tools/call", $$""" "name":"server_info","arguments":{"k{{i}}":"{{text}}"} """),
                1 => Request("tools/list", meta: Meta(extra: $$""","k":"{{text}}" """)),
                _ => Request("tools/call", $$""" "name":"whoami","arguments":{"{{text}}":"v"} """),
            };
            var headers = i % 3 == 1 ? Headers("tools/list") : Headers("tools/call", i % 3 == 0 ? "server_info" : "whoami");
            using var request = Post(token, body, headers);
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

            Assert.True((int)response.StatusCode < 500, $"{body}: {(int)response.StatusCode} {raw}");
            Assert.DoesNotContain("An error occurred", raw, StringComparison.Ordinal);
            AssertOurWords(raw);
        }
    }
}
