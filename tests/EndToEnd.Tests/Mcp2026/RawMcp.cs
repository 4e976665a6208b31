using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace EndToEnd.Tests.Mcp2026;

/// <summary>
/// Hand-made <c>POST /mcp</c> requests, so tests can send what no SDK client would: wrong, missing or repeated headers,
/// hostile <c>_meta</c>, unpaired surrogates.
/// </summary>
internal static class RawMcp
{
    public const string Revision = "2026-07-28";

    /// <summary>A valid 2026-07-28 <c>_meta</c> (as JSON text) with the given protocol version.</summary>
    public static string Meta(string version = Revision, string extra = "") =>
        $$"""{"io.modelcontextprotocol/protocolVersion":"{{version}}","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"raw","version":"1"}{{extra}}}""";

    public static string Request(string method, string paramsWithoutMeta = "", string? meta = null)
    {
        var separator = paramsWithoutMeta.Length == 0 ? "" : ",";
        return $$"""{"jsonrpc":"2.0","id":7,"method":"{{method}}","params":{{{paramsWithoutMeta}}{{separator}}"_meta":""" + (meta ?? Meta()) + "}}";
    }

    /// <summary>Headers as a 2026-07-28 client sends them; each entry may be repeated or left out by the caller.</summary>
    public static HttpRequestMessage Post(string token, string body, IEnumerable<(string Name, string Value)> headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return request;
    }

    public static (string, string)[] Headers(string method, string? name = null, string version = Revision) =>
        name is null
            ? [("MCP-Protocol-Version", version), ("Mcp-Method", method)]
            : [("MCP-Protocol-Version", version), ("Mcp-Method", method), ("Mcp-Name", name)];

    /// <summary>The status and the JSON-RPC message of the answer, whether sent as JSON or as one SSE event.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Message, string Raw)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? raw.Split('\n').Last(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]
            : raw;
        var message = json.Length == 0 ? default : JsonDocument.Parse(json).RootElement.Clone();
        return (response.StatusCode, message, raw);
    }

    /// <summary>Every answer is in the server's words: no SDK type, option or exception name, no stack.</summary>
    public static void AssertOurWords(string raw)
    {
        foreach (var leak in new[] { "HttpServerTransportOptions", "SessionMode", "Exception", "csharp.sdk", "ModelContextProtocol", "   at " })
        {
            Assert.DoesNotContain(leak, raw, StringComparison.Ordinal);
        }
    }

    public static int ErrorCode(JsonElement message) => message.GetProperty("error").GetProperty("code").GetInt32();
}
