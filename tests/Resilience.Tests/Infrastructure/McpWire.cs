using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Resilience.Tests.Infrastructure;

/// <summary>Streamable HTTP requests by hand, so every HTTP status the server sends is visible to the test.</summary>
public static class McpWire
{
    public const string ProtocolVersion = "2025-06-18";
    public const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"resilience","version":"1.0"}}}""";
    public const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";
    public const string WhoAmI = """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"whoami","arguments":{}}}""";

    public static HttpRequestMessage Post(Uri endpoint, string json, string bearer, string? session)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (session is not null)
        {
            request.Headers.Add("MCP-Protocol-Version", ProtocolVersion);
            request.Headers.Add("Mcp-Session-Id", session);
        }
        return request;
    }

    /// <summary>initialize + notifications/initialized; the session id, or null with the failing status.</summary>
    public static async Task<(string? Session, int Status)> OpenSessionAsync(HttpClient http, Uri endpoint, string bearer, CancellationToken cancellationToken)
    {
        using var initialize = Post(endpoint, Initialize, bearer, null);
        using var response = await http.SendAsync(initialize, cancellationToken);
        await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || !response.Headers.TryGetValues("Mcp-Session-Id", out var ids))
        {
            return (null, (int)response.StatusCode);
        }
        var session = ids.Single();
        using var initialized = Post(endpoint, Initialized, bearer, session);
        using var ack = await http.SendAsync(initialized, cancellationToken);
        return ack.IsSuccessStatusCode ? (session, (int)response.StatusCode) : (null, (int)ack.StatusCode);
    }

    /// <summary>tools/call of <paramref name="tool"/> with a JSON object of arguments; the status and the raw (SSE) body.</summary>
    public static async Task<(int Status, string Body)> CallToolAsync(
        HttpClient http, Uri endpoint, string bearer, string session, string tool, string arguments, CancellationToken cancellationToken)
    {
        var json = """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":""" + JsonSerializer.Serialize(tool) + ""","arguments":""" + arguments + "}}";
        using var request = Post(endpoint, json, bearer, session);
        using var response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>One whoami; true when the JSON-RPC reply is a successful tool result.</summary>
    public static async Task<(int Status, bool Ok)> WhoAmIAsync(HttpClient http, Uri endpoint, string bearer, string session, CancellationToken cancellationToken)
    {
        using var request = Post(endpoint, WhoAmI, bearer, session);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var ok = response.IsSuccessStatusCode && body.Contains("\"result\"", StringComparison.Ordinal)
            && !body.Contains("\"isError\":true", StringComparison.Ordinal);
        return ((int)response.StatusCode, ok);
    }
}
