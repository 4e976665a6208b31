using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Bench.Runner.Infrastructure;

/// <summary>
/// Streamable HTTP by hand: an initialized session and the exact request wrk replays, so the load generator sends
/// byte-for-byte what an MCP client sends (JSON-RPC body, session id, protocol version, bearer token).
/// </summary>
public static class McpRaw
{
    public const string ProtocolVersion = "2025-06-18";
    public const string WhoAmICall = """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}""";
    public const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1.0"}}}""";

    /// <summary>The stateless revision: no session, every request self-describing in its headers and <c>params._meta</c>.</summary>
    public const string StatelessProtocolVersion = "2026-07-28";

    /// <summary>
    /// The newest revision the official TypeScript SDK (1.32.2) speaks: it answers 2026-07-28 with 400 "Unsupported
    /// protocol version", so its stateless server gets the same body and headers under this version header.
    /// </summary>
    public const string TypeScriptProtocolVersion = "2025-11-25";

    /// <summary>whoami as a 2026-07-28 client sends it: the revision, capabilities and client info in <c>params._meta</c>.</summary>
    public const string StatelessWhoAmICall = """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{},"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"bench","version":"1.0"}}}}""";

    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Sends initialize and notifications/initialized; returns the session id.</summary>
    public static async Task<string> OpenSessionAsync(Uri endpoint, string? bearer, CancellationToken cancellationToken)
    {
        using var initialize = await PostAsync(endpoint, Initialize, bearer, null, cancellationToken);
        var body = await initialize.Content.ReadAsStringAsync(cancellationToken);
        if (initialize.StatusCode != HttpStatusCode.OK || !initialize.Headers.TryGetValues("Mcp-Session-Id", out var ids))
        {
            throw new InvalidOperationException($"initialize on {endpoint} failed: {(int)initialize.StatusCode} {body}");
        }
        var session = ids.Single();
        using var initialized = await PostAsync(endpoint, """{"jsonrpc":"2.0","method":"notifications/initialized"}""", bearer, session, cancellationToken);
        if (!initialized.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"notifications/initialized on {endpoint} failed: {(int)initialized.StatusCode}");
        }
        return session;
    }

    /// <summary>Ends a session (HTTP DELETE), as a client does when it is done: sessions count against a per-client cap.</summary>
    public static async Task CloseSessionAsync(Uri endpoint, string? bearer, string session, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, endpoint);
        request.Headers.Add("MCP-Protocol-Version", ProtocolVersion);
        request.Headers.Add("Mcp-Session-Id", session);
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        using var response = await Client.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public static Dictionary<string, string> Headers(string? bearer, string? session)
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-Type"] = "application/json",
            ["Accept"] = "application/json, text/event-stream",
            ["MCP-Protocol-Version"] = ProtocolVersion,
        };
        if (bearer is not null)
        {
            headers["Authorization"] = $"Bearer {bearer}";
        }
        if (session is not null)
        {
            headers["Mcp-Session-Id"] = session;
        }
        return headers;
    }

    /// <summary>The headers a 2026-07-28 client sends with <see cref="StatelessWhoAmICall"/>: method and tool named in <c>Mcp-Method</c> and <c>Mcp-Name</c>.</summary>
    public static Dictionary<string, string> StatelessHeaders(string? bearer, string protocolVersion = StatelessProtocolVersion)
    {
        var headers = Headers(bearer, null);
        headers["MCP-Protocol-Version"] = protocolVersion;
        headers["Mcp-Method"] = "tools/call";
        headers["Mcp-Name"] = "whoami";
        return headers;
    }

    /// <summary>Sends exactly what wrk will replay; throws unless the answer is a successful tool result.</summary>
    public static async Task CheckToolResultAsync(Uri endpoint, WrkRequest replayed, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(replayed.Method), endpoint);
        if (replayed.Body is not null)
        {
            request.Content = new StringContent(replayed.Body, Encoding.UTF8);
        }
        foreach (var (name, value) in replayed.Headers ?? new Dictionary<string, string>())
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.Remove(name);
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
        using var response = await Client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || !body.Contains("\"result\"", StringComparison.Ordinal) || body.Contains("\"isError\":true", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"whoami on {endpoint} did not succeed: {(int)response.StatusCode} {body}");
        }
    }

    public static async Task<HttpResponseMessage> PostAsync(Uri endpoint, string json, string? bearer, string? session, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (session is not null)
        {
            request.Headers.Add("MCP-Protocol-Version", ProtocolVersion);
            request.Headers.Add("Mcp-Session-Id", session);
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return await Client.SendAsync(request, cancellationToken);
    }
}
