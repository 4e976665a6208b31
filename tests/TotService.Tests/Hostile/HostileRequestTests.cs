using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Hostile;

/// <summary>
/// Requests an attacker would send, over real HTTP: hostile tokens (RFC 8725's classes), hostile bodies, headers and
/// connections. Each gets the right 4xx, no tool runs, nothing answers 5xx, and a good request afterwards still works.
/// </summary>
public sealed class HostileRequestTests(HostileRequestTests.Host host) : IClassFixture<HostileRequestTests.Host>
{
    /// <summary>
    /// One service for the class, its rate limit lifted: every test only sends requests, counts the tool's invocations
    /// from where it started, and ends by showing that the reader's session still works.
    /// </summary>
    public sealed class Host : IAsyncLifetime
    {
        public TotServiceTestHost Service { get; private set; } = null!;

        public string Reader { get; private set; } = null!;

        public RawMcpSession Session { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Service = await TotServiceTestHost.StartAsync(new Dictionary<string, string?>
            {
                ["TotService:RateLimit:TokenLimit"] = "100000",
            });
            Reader = Tokens.Valid(Service.Key!, scope: "tot:read", subject: "reader");
            Session = await RawMcpSession.OpenAsync(Service.Http, Reader);
        }

        public async ValueTask DisposeAsync() => await Service.DisposeAsync();
    }

    private readonly TotServiceTestHost _host = host.Service;
    private readonly string _reader = host.Reader;
    private readonly RawMcpSession _session = host.Session;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TestSigningKey Key => _host.Key!;

    public static TheoryData<string> HostileTokens() =>
    [
        "not.a.token", "a.b", "eyJ.eyJ.eyJ", "...", "a", "eyJhbGciOiJub25lIn0", "%%%.%%%.%%%",
        "alg_none", "alg_none_uppercase", "hs256_with_public_key", "rs384", "ps256", "wrong_typ", "typ_jwt", "no_typ",
        "crit", "kid_path_traversal", "kid_empty", "kid_number", "kid_lone_surrogate", "no_kid",
        "signature_padded", "header_padded", "payload_padded", "signature_plus_slash", "trailing_dot", "five_segments",
        "expired", "not_yet_valid", "no_exp", "wrong_issuer", "wrong_audience", "audience_array_without_ours",
        "oversize", "tampered_payload", "signature_stripped",
    ];

    [Theory]
    [MemberData(nameof(HostileTokens))]
    public async Task A_hostile_token_gets_401_invalid_token_and_runs_nothing(string kind)
    {
        var before = _host.Invocations.Count;

        using var refused = await _session.SendAsync(MakeToken(kind), _session.ToolCall("probe"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, _host.Invocations.Count);
        await AssertReaderStillWorksAsync();
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("valid")]
    public async Task Two_authorization_headers_are_refused_whatever_the_first_holds(string first)
    {
        var before = _host.Invocations.Count;
        var firstValue = first == "valid" ? "Bearer " + _reader : "Bearer not.a.token";

        using var refused = await _session.SendAsync(token: null, _session.ToolCall("probe"), request =>
        {
            request.Headers.TryAddWithoutValidation("Authorization", firstValue);
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _reader);
        });

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(before, _host.Invocations.Count);
    }

    [Theory]
    [InlineData("query")]
    [InlineData("form")]
    [InlineData("cookie")]
    public async Task A_token_anywhere_but_the_authorization_header_is_ignored(string where)
    {
        var before = _host.Invocations.Count;

        using var refused = await _session.SendAsync(token: null, _session.ToolCall("probe"), request =>
        {
            switch (where)
            {
                case "query":
                    request.RequestUri = new Uri("/mcp?access_token=" + _reader, UriKind.Relative);
                    break;
                case "form":
                    request.Content = new FormUrlEncodedContent([new("access_token", _reader)]);
                    break;
                default:
                    request.Headers.Add("Cookie", "access_token=" + _reader);
                    break;
            }
        });

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain("error=", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, _host.Invocations.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("text/plain")]
    [InlineData("application/json;;;")]
    [InlineData("application/json, text/html")]
    [InlineData("application/json; charset=utf-7")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=x-unknown")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/jsonx")]
    public async Task A_body_that_is_not_utf8_json_gets_415_with_a_json_rpc_error(string? contentType)
    {
        var before = _host.Invocations.Count;

        using var refused = await _session.SendAsync(_reader, _session.ToolCall("probe"), request =>
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(_session.ToolCall("probe")));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        var error = await RawMcpSession.ReadMessageAsync(refused);
        Assert.Equal("2.0", error["jsonrpc"]!.GetValue<string>());
        Assert.Equal(before, _host.Invocations.Count);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":""", "truncated")]
    [InlineData("""{"jsonrpc":"2.0","id":"\ud800","method":"tools/call","params":{"name":"append_note","arguments":{"text":"x"}}}""", "lone surrogate id on a refused call")]
    [InlineData("""{"jsonrpc":"2.0","id":{"a":1},"method":"tools/call","params":{"name":"probe"}}""", "object id")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"probe"}} {}""", "trailing content")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"probe"}}]""", "batch")]
    [InlineData("\"just a string\"", "not an object")]
    [InlineData("null", "null")]
    [InlineData("", "empty")]
    public async Task A_body_that_is_not_one_json_rpc_message_gets_400_without_internals(string body, string because)
    {
        var before = _host.Invocations.Count;

        using var refused = await _session.SendAsync(_reader, body);

        Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{because}: {refused.StatusCode}");
        var text = await refused.Content.ReadAsStringAsync(Ct);
        var error = JsonNode.Parse(text)!; // a whole JSON document: no body stops mid-way
        Assert.Equal(-32700, error["error"]!["code"]!.GetValue<int>());
        AssertNoInternals(text);
        Assert.Equal(before, _host.Invocations.Count);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"Name":"append_note","arguments":{"text":"x"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"APPEND_NOTE","arguments":{"text":"x"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"probe","name":"append_note","arguments":{"text":"x"}}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"append\u005fnote","arguments":{"text":"x"}}}""")]
    public async Task A_write_call_in_any_spelling_gets_403_insufficient_scope_with_its_id(string body)
    {
        var before = _host.Invocations.Count;

        using var refused = await _session.SendAsync(_reader, body);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("error=\"insufficient_scope\", scope=\"tot:write\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(5, (await RawMcpSession.ReadMessageAsync(refused))["id"]!.GetValue<int>());
        Assert.Equal(before, _host.Invocations.Count);
    }

    [Fact]
    public async Task A_body_cut_short_by_the_client_runs_nothing_and_is_never_answered_413_or_5xx()
    {
        var response = await SendRawAsync(
            $"POST /mcp HTTP/1.1\r\nHost: {_host.BaseAddress.Authority}\r\nAuthorization: Bearer {_reader}\r\n" +
            $"Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMcp-Session-Id: {_session.SessionId}\r\n" +
            "Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\"", closeAfterSending: true);

        // The client half-closed: Kestrel may treat it as gone (nothing to answer) or answer 400, never anything else.
        Assert.True(response.Length == 0 || response.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), response);
        Assert.Equal(0, _host.Invocations.Count - InvocationsBeforeRaw);
    }

    [Fact]
    public async Task A_bad_chunk_gets_400_not_413()
    {
        var response = await SendRawAsync(
            $"POST /mcp HTTP/1.1\r\nHost: {_host.BaseAddress.Authority}\r\nAuthorization: Bearer {_reader}\r\n" +
            $"Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nMcp-Session-Id: {_session.SessionId}\r\n" +
            "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", closeAfterSending: false);

        Assert.StartsWith("HTTP/1.1 400", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_servers_own_origin_is_accepted_and_a_foreign_one_refused()
    {
        var own = new Uri(TestSettings.Audience).GetLeftPart(UriPartial.Authority);
        using var allowed = await _session.SendAsync(_reader, _session.ToolCall("probe"), request => request.Headers.Add("Origin", own));
        using var foreign = await _session.SendAsync(_reader, _session.ToolCall("probe"), request => request.Headers.Add("Origin", "http://localhost:6274"));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode); // loopback origins only in Development
        Assert.False(foreign.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Refusals_carry_no_server_header()
    {
        using var refused = await _session.SendAsync("not.a.token", _session.ToolCall("probe"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Server"));
    }

    private int InvocationsBeforeRaw { get; set; }

    private async Task<string> SendRawAsync(string request, bool closeAfterSending)
    {
        InvocationsBeforeRaw = _host.Invocations.Count;
        using var client = new TcpClient();
        await client.ConnectAsync(_host.BaseAddress.Host, _host.BaseAddress.Port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), Ct);
        if (closeAfterSending)
        {
            client.Client.Shutdown(SocketShutdown.Send);
        }
        var buffer = new byte[4096];
        try
        {
            var read = await stream.ReadAsync(buffer, Ct).AsTask().WaitAsync(TestSettings.Timeout, Ct);
            return Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (IOException)
        {
            return ""; // reset: the server dropped the connection without an answer
        }
    }

    private async Task AssertReaderStillWorksAsync()
    {
        var before = _host.Invocations.Count;
        using var accepted = await _session.SendAsync(_reader, _session.ToolCall("probe"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(before + 1, _host.Invocations.Count);
    }

    private static void AssertNoInternals(string text)
    {
        foreach (var leak in new[] { "ModelContextProtocol", "Path: $", "LineNumber", "Exception", "   at " })
        {
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        }
    }

    private string MakeToken(string kind)
    {
        var victim = new TokenSpec { Subject = "reader", Scope = "tot:read" };
        var valid = Tokens.Create(Key.SecurityKey, victim);
        var parts = valid.Split('.');
        var header = JsonNode.Parse(Base64UrlEncoder.Decode(parts[0]))!.AsObject();
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        string Resigned(Action<JsonObject>? changeHeader = null, Action<JsonObject>? changePayload = null)
        {
            var h = header.DeepClone().AsObject();
            var p = payload.DeepClone().AsObject();
            changeHeader?.Invoke(h);
            changePayload?.Invoke(p);
            return SignRaw(h.ToJsonString(), p.ToJsonString());
        }
        return kind switch
        {
            "alg_none" => Tokens.AlgNone(Key),
            "alg_none_uppercase" => $"{Encode("""{"alg":"NONE","typ":"at+jwt"}""")}.{parts[1]}.",
            "hs256_with_public_key" => Tokens.HmacWithPublicKey(Key),
            "rs384" => Tokens.Create(Key.SecurityKey, victim, SecurityAlgorithms.RsaSha384),
            "ps256" => Tokens.Create(Key.SecurityKey, victim, SecurityAlgorithms.RsaSsaPssSha256),
            "wrong_typ" => Tokens.Create(Key.SecurityKey, victim with { Type = "id_token+jwt" }),
            "typ_jwt" => Tokens.Create(Key.SecurityKey, victim with { Type = "JWT" }),
            "no_typ" => Resigned(changeHeader: h => h.Remove("typ")),
            "crit" => Resigned(changeHeader: h => { h["crit"] = new JsonArray("urn:example:unknown"); h["urn:example:unknown"] = true; }),
            "kid_path_traversal" => Resigned(changeHeader: h => h["kid"] = "../../../etc/passwd"),
            "kid_empty" => Resigned(changeHeader: h => h["kid"] = ""),
            "kid_number" => Resigned(changeHeader: h => h["kid"] = 42),
            "kid_lone_surrogate" => SignRaw(header.ToJsonString().Replace($"\"{Key.KeyId}\"", "\"\\ud800\"", StringComparison.Ordinal), payload.ToJsonString()),
            "no_kid" => Resigned(changeHeader: h => h.Remove("kid")),
            "signature_padded" => valid + "==",
            "header_padded" => $"{parts[0]}=.{parts[1]}.{parts[2]}",
            "payload_padded" => $"{parts[0]}.{parts[1]}==.{parts[2]}",
            "signature_plus_slash" => $"{parts[0]}.{parts[1]}.{parts[2].Replace('-', '+').Replace('_', '/')}+",
            "trailing_dot" => valid + ".",
            "five_segments" => $"{valid}.{parts[1]}.{parts[2]}",
            "expired" => Tokens.Create(Key.SecurityKey, victim with { NotBeforeOffset = TimeSpan.FromMinutes(-20), Lifetime = TimeSpan.FromMinutes(19) }),
            "not_yet_valid" => Tokens.Create(Key.SecurityKey, victim with { NotBeforeOffset = TimeSpan.FromMinutes(2) }),
            "no_exp" => Resigned(changePayload: p => p.Remove("exp")),
            "wrong_issuer" => Tokens.Create(Key.SecurityKey, victim with { Issuer = "https://evil.test" }),
            "wrong_audience" => Tokens.Create(Key.SecurityKey, victim with { Audience = "https://tot.example.test/mcp/" }),
            "audience_array_without_ours" => Resigned(changePayload: p => p["aud"] = new JsonArray("https://a.test/mcp", "https://b.test/mcp")),
            "oversize" => Tokens.Create(Key.SecurityKey, victim with { ExtraClaims = new Dictionary<string, object> { ["pad"] = new string('a', 17 * 1024) } }),
            "tampered_payload" => Tokens.Tampered(Key),
            "signature_stripped" => $"{parts[0]}.{parts[1]}.",
            _ => kind, // the literal is the token
        };
    }

    private string SignRaw(string headerJson, string payloadJson)
    {
        var signingInput = $"{Encode(headerJson)}.{Encode(payloadJson)}";
        var signature = Key.SecurityKey.Rsa!.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64UrlEncoder.Encode(signature)}";
    }

    private static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
