using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TotService.Tests.Infrastructure;

/// <summary>
/// MCP over plain HTTP, for requests a well-behaved client would never send (bad tokens in an open session,
/// foreign Origins, malformed JSON) and for asserting exact status codes and headers.
/// </summary>
public sealed class RawMcpSession
{
    public const string ProtocolVersion = "2025-11-25";

    private readonly HttpClient _http;
    private int _nextId = 10;

    private RawMcpSession(HttpClient http, string sessionId)
    {
        _http = http;
        SessionId = sessionId;
    }

    public string SessionId { get; }

    /// <summary>An <c>initialize</c> request: the cheapest authenticated MCP call that needs no session.</summary>
    public const string InitializeBody =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"tests","version":"1.0"}}}""";

    /// <summary>Sends <see cref="InitializeBody"/> without a session.</summary>
    public static Task<HttpResponseMessage> InitializeAsync(HttpClient http, string? token) => SendAsync(http, null, token, InitializeBody);

    /// <summary>The status <see cref="InitializeAsync"/> gets: whether <paramref name="token"/> is accepted.</summary>
    public static async Task<HttpStatusCode> InitializeStatusAsync(HttpClient http, string? token)
    {
        using var response = await InitializeAsync(http, token);
        return response.StatusCode;
    }

    /// <summary>
    /// Initializes a session with a valid token, so later refusals cannot be blamed on a missing session; it declares
    /// <paramref name="capabilities"/> (a JSON object) and opens no event stream until <see cref="OpenEventStreamAsync"/>.
    /// </summary>
    public static async Task<RawMcpSession> OpenAsync(HttpClient http, string token, string capabilities = "{}")
    {
        using var initialize = await SendAsync(http, null, token, InitializeBody.Replace("\"capabilities\":{}", "\"capabilities\":" + capabilities, StringComparison.Ordinal));
        initialize.EnsureSuccessStatusCode();
        var sessionId = initialize.Headers.GetValues("Mcp-Session-Id").Single();
        using var initialized = await SendAsync(http, sessionId, token, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        initialized.EnsureSuccessStatusCode();
        return new RawMcpSession(http, sessionId);
    }

    public string ToolCall(string tool, object? arguments = null) =>
        JsonSerializer.Serialize(new
        {
            jsonrpc = "2.0",
            id = Interlocked.Increment(ref _nextId),
            method = "tools/call",
            @params = new { name = tool, arguments = arguments ?? new { } },
        });

    /// <summary>Calls a tool that must succeed and returns its structured content.</summary>
    public async Task<JsonObject> ToolResultAsync(string token, string tool, object? arguments = null)
    {
        using var response = await SendAsync(token, ToolCall(tool, arguments));
        response.EnsureSuccessStatusCode();
        var message = await ReadMessageAsync(response);
        Assert.True(message["result"]?["isError"]?.GetValue<bool>() != true, $"{tool} failed: {message.ToJsonString()}");
        return message["result"]?["structuredContent"] as JsonObject ?? throw new Xunit.Sdk.XunitException($"{tool} returned no structured content: {message.ToJsonString()}");
    }

    /// <summary>
    /// Calls a tool that must succeed, reading its own response stream as a client does: a request the server sends
    /// there before the result (a run started by the call may ask the client's model while the call's response is still
    /// open) is answered with <paramref name="answer"/>'s result. Returns the structured content and the requests answered.
    /// </summary>
    public async Task<(JsonObject Result, IReadOnlyList<JsonObject> Answered)> ToolResultAnsweringAsync(
        string token, string tool, object? arguments, Func<JsonObject, object> answer)
    {
        var body = ToolCall(tool, arguments);
        var id = JsonNode.Parse(body)!["id"]!.GetValue<int>();
        using var response = await SendAsync(token, body, completion: HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var answered = new List<JsonObject>();
        await foreach (var message in MessagesAsync(response))
        {
            if (message["method"] is not null && message["id"] is { } requestId)
            {
                using var reply = await SendAsync(token, JsonSerializer.Serialize(new { jsonrpc = "2.0", id = requestId, result = answer(message) }));
                reply.EnsureSuccessStatusCode();
                answered.Add(message);
            }
            else if (message["id"] is JsonValue responseId && responseId.TryGetValue<int>(out var number) && number == id)
            {
                Assert.True(message["result"]?["isError"]?.GetValue<bool>() != true, $"{tool} failed: {message.ToJsonString()}");
                var result = message["result"]?["structuredContent"] as JsonObject
                    ?? throw new Xunit.Sdk.XunitException($"{tool} returned no structured content: {message.ToJsonString()}");
                return (result, answered);
            }
        }
        throw new Xunit.Sdk.XunitException($"{tool}'s response ended without its result");
    }

    /// <summary>Every JSON-RPC message of a response, whether sent as JSON or as server-sent events, as they arrive.</summary>
    private static async IAsyncEnumerable<JsonObject> MessagesAsync(HttpResponseMessage response)
    {
        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            yield return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            yield break;
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Length > "data:".Length
                && JsonNode.Parse(line["data:".Length..]) is JsonObject message)
            {
                yield return message;
            }
        }
    }

    public string ToolsList() =>
        JsonSerializer.Serialize(new { jsonrpc = "2.0", id = Interlocked.Increment(ref _nextId), method = "tools/list" });

    public Task<HttpResponseMessage> SendAsync(
        string? token, string body, Action<HttpRequestMessage>? customize = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        SendAsync(_http, SessionId, token, body, customize, completion);

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, string? sessionId, string? token, string body,
        Action<HttpRequestMessage>? customize = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (sessionId is not null)
        {
            request.Headers.Add("Mcp-Session-Id", sessionId);
            request.Headers.Add("MCP-Protocol-Version", ProtocolVersion);
        }
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        customize?.Invoke(request);
        return await http.SendAsync(request, completion);
    }

    /// <summary>The session's GET event stream, which carries what the server sends outside a tool call's own response.</summary>
    public async Task<HttpResponseMessage> OpenEventStreamAsync(string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/mcp");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        request.Headers.Add("Mcp-Session-Id", SessionId);
        request.Headers.Add("MCP-Protocol-Version", ProtocolVersion);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        return response;
    }

    /// <summary>The JSON-RPC message in a response, whether sent as JSON or as one SSE event.</summary>
    public static async Task<JsonObject> ReadMessageAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream")
        {
            text = string.Join('\n', text.Split('\n')
                .Where(line => line.StartsWith("data:", StringComparison.Ordinal))
                .Select(line => line["data:".Length..].Trim())
                .Where(line => line.Length > 0)
                .Take(1));
        }
        return JsonNode.Parse(text)!.AsObject();
    }
}
