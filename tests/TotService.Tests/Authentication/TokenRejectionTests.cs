using System.Net;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Authentication;

/// <summary>
/// Every bad token gets 401 with the MCP-shaped challenge and never reaches a tool. Each request goes into a
/// session opened with a good token, and the same call with the good token succeeds, so only the token differs.
/// </summary>
public sealed class TokenRejectionTests(TokenRejectionTests.Hosts hosts) : IClassFixture<TokenRejectionTests.Hosts>
{
    private const string InvalidTokenChallenge =
        $"Bearer error=\"invalid_token\", resource_metadata=\"{TestSettings.MetadataUrl}\", scope=\"tot:read\"";
    private const string NoTokenChallenge =
        $"Bearer resource_metadata=\"{TestSettings.MetadataUrl}\", scope=\"tot:read\"";

    /// <summary>
    /// One service and one attacker's authorization server for the class: every test only sends requests, and counts the
    /// tool's invocations from where it started.
    /// </summary>
    public sealed class Hosts : IAsyncLifetime
    {
        public TestSigningKey AttackerKey { get; } = new();

        public FakeAuthorizationServer AttackerServer { get; private set; } = null!;

        public TotServiceTestHost Host { get; private set; } = null!;

        public RawMcpSession Session { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            AttackerServer = await FakeAuthorizationServer.StartAsync("https://attacker.test", AttackerKey);
            Host = await TotServiceTestHost.StartAsync();
            Session = await RawMcpSession.OpenAsync(Host.Http, Tokens.Valid(Host.Key!, subject: "victim"));
        }

        public async ValueTask DisposeAsync()
        {
            await Host.DisposeAsync();
            await AttackerServer.DisposeAsync();
            AttackerKey.Dispose();
        }
    }

    private readonly TestSigningKey _attackerKey = hosts.AttackerKey;
    private readonly FakeAuthorizationServer _attackerServer = hosts.AttackerServer;
    private readonly TotServiceTestHost _host = hosts.Host;
    private readonly RawMcpSession _session = hosts.Session;

    /// <summary>The tool's invocations before this test: a refused request adds none.</summary>
    private readonly int _invocationsBefore = hosts.Host.Invocations.Count;

    private TestSigningKey Key => _host.Key!;

    public static TheoryData<string> BadTokens() =>
    [
        "malformed", "alg_none", "hs256_with_public_key", "expired", "not_yet_valid", "wrong_issuer",
        "wrong_audience", "tampered_payload", "unknown_kid", "wrong_type", "no_subject",
        "jku_header", "x5u_header", "jwk_header", "kid_not_valid_text",
    ];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Bad_token_gets_401_invalid_token_and_never_reaches_a_tool(string kind)
    {
        var token = MakeBadToken(kind);

        using var refused = await _session.SendAsync(token, _session.ToolCall("probe"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(InvalidTokenChallenge, refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal(_invocationsBefore, _host.Invocations.Count);
        Assert.Equal(0, _attackerServer.TotalRequests); // jku/x5u/jwk are never followed

        await AssertGoodTokenStillReachesToolAsync();
    }

    [Fact]
    public async Task No_token_gets_401_without_error_and_never_reaches_a_tool()
    {
        using var refused = await _session.SendAsync(token: null, _session.ToolCall("probe"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(NoTokenChallenge, refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal(_invocationsBefore, _host.Invocations.Count);
        await AssertGoodTokenStillReachesToolAsync();
    }

    [Theory]
    [InlineData("GET", "/mcp")]
    [InlineData("DELETE", "/mcp")]
    [InlineData("POST", "/mcp")]
    [InlineData("GET", "/mcp/sse")]
    [InlineData("POST", "/mcp/message")]
    public async Task Every_verb_and_path_under_mcp_gets_the_bearer_challenge_without_a_token(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Mcp-Session-Id", _session.SessionId);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (method == "POST")
        {
            request.Content = new StringContent(_session.ToolCall("probe"), System.Text.Encoding.UTF8, "application/json");
        }

        using var refused = await _host.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(NoTokenChallenge, refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal(_invocationsBefore, _host.Invocations.Count);
    }

    [Fact]
    public async Task Token_only_in_query_string_is_ignored()
    {
        var token = Tokens.Valid(Key, subject: "victim");

        using var refused = await _session.SendAsync(token: null, _session.ToolCall("probe"),
            request => request.RequestUri = new Uri("/mcp?access_token=" + token, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(NoTokenChallenge, refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal(_invocationsBefore, _host.Invocations.Count);
    }

    [Fact]
    public async Task Token_over_16_KB_is_refused_even_when_validly_signed()
    {
        var padding = new string('a', 17 * 1024);
        var token = Tokens.Create(Key.SecurityKey, new TokenSpec
        {
            Subject = "victim",
            ExtraClaims = new Dictionary<string, object> { ["pad"] = padding },
        });
        Assert.True(token.Length > 16 * 1024);

        using var refused = await _session.SendAsync(token, _session.ToolCall("probe"));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(InvalidTokenChallenge, refused.Headers.WwwAuthenticate.ToString());
        Assert.Equal(_invocationsBefore, _host.Invocations.Count);
    }

    private async Task AssertGoodTokenStillReachesToolAsync()
    {
        using var accepted = await _session.SendAsync(Tokens.Valid(Key, subject: "victim"), _session.ToolCall("probe"));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(_invocationsBefore + 1, _host.Invocations.Count);
    }

    private string MakeBadToken(string kind)
    {
        var victim = new TokenSpec { Subject = "victim" };
        return kind switch
        {
            "malformed" => "this-is.not-a.jwt",
            // A header that is valid JSON but whose kid is an escaped lone surrogate: not text, so no kid (never a 500).
            "kid_not_valid_text" => Base64UrlEncoder.Encode("""{"alg":"RS256","typ":"at+jwt","kid":"\ud800"}""") + "." +
                Base64UrlEncoder.Encode("""{"sub":"victim"}""") + ".c2ln",
            "alg_none" => Tokens.AlgNone(Key),
            "hs256_with_public_key" => Tokens.HmacWithPublicKey(Key),
            "expired" => Tokens.Create(Key.SecurityKey, victim with
            {
                NotBeforeOffset = TimeSpan.FromMinutes(-20), Lifetime = TimeSpan.FromMinutes(19),
            }),
            "not_yet_valid" => Tokens.Create(Key.SecurityKey, victim with { NotBeforeOffset = TimeSpan.FromMinutes(2) }),
            "wrong_issuer" => Tokens.Create(Key.SecurityKey, victim with { Issuer = "https://evil.test" }),
            "wrong_audience" => Tokens.Create(Key.SecurityKey, victim with { Audience = "https://other.example.test/mcp" }),
            "tampered_payload" => Tokens.Tampered(Key),
            "unknown_kid" => Tokens.Create(Key.WithKeyId("kid-nobody-published"), victim),
            "wrong_type" => Tokens.Create(Key.SecurityKey, victim with { Type = "JWT" }),
            "no_subject" => WithoutSubject(),
            "jku_header" => Tokens.Create(_attackerKey.SecurityKey, victim with
            {
                ExtraHeaders = new Dictionary<string, object> { ["jku"] = new Uri(_attackerServer.BaseAddress, FakeAuthorizationServer.JwksPath).ToString() },
            }),
            "x5u_header" => Tokens.Create(_attackerKey.SecurityKey, victim with
            {
                ExtraHeaders = new Dictionary<string, object> { ["x5u"] = new Uri(_attackerServer.BaseAddress, "/cert.pem").ToString() },
            }),
            "jwk_header" => Tokens.Create(_attackerKey.SecurityKey, victim with
            {
                ExtraHeaders = new Dictionary<string, object> { ["jwk"] = _attackerKey.PublicJwk() },
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    private string WithoutSubject()
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = true };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestSettings.Issuer,
            Audience = TestSettings.Audience,
            Claims = new Dictionary<string, object> { ["scope"] = "tot:read tot:write" },
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(Key.SecurityKey, SecurityAlgorithms.RsaSha256),
        });
    }
}
