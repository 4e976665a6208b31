using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TotService.Tests.Infrastructure;

/// <summary>
/// MCP 2026-07-28 requests by hand, for what the SDK client hides or does not speak (input_required rounds, tasks):
/// the body's <c>_meta</c> declares the given capabilities, and the routing headers say what the body says.
/// </summary>
public static class StatelessCalls
{
    public const string Revision = "2026-07-28";

    public static JsonObject Meta(bool sampling = true, bool tasks = false)
    {
        var capabilities = new JsonObject();
        if (sampling)
        {
            capabilities["sampling"] = new JsonObject();
        }
        if (tasks)
        {
            capabilities["extensions"] = new JsonObject { ["io.modelcontextprotocol/tasks"] = new JsonObject() };
        }
        return new JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = Revision,
            ["io.modelcontextprotocol/clientCapabilities"] = capabilities,
            ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "raw", ["version"] = "1" },
        };
    }

    /// <summary>Sends <paramref name="method"/> with <paramref name="parameters"/> (its <c>_meta</c> added) and returns the JSON-RPC message.</summary>
    public static async Task<JsonElement> SendAsync(HttpClient http, string token, string method, string? name, JsonObject parameters, JsonObject meta)
    {
        parameters["_meta"] = meta;
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", Revision);
        request.Headers.Add("Mcp-Method", method);
        if (name is not null)
        {
            request.Headers.Add("Mcp-Name", name);
        }
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var raw = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method}: {(int)response.StatusCode} {raw}");
        var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? raw.Split('\n').Last(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]
            : raw;
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    /// <summary>A sampling result as a client sends it back in <c>inputResponses</c>.</summary>
    public static JsonObject SamplingAnswer(string text) => new()
    {
        ["role"] = "assistant",
        ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
        ["model"] = "test-model",
    };

    /// <summary>The user prompt of a sampling input request (a message's content is one block or an array of them).</summary>
    public static string Prompt(JsonElement inputRequest)
    {
        var content = inputRequest.GetProperty("params").GetProperty("messages").EnumerateArray().Last().GetProperty("content");
        return (content.ValueKind == JsonValueKind.Array ? content.EnumerateArray().First() : content).GetProperty("text").GetString()!;
    }

    /// <summary>The JSON-RPC result, or a failure that shows the whole message.</summary>
    public static JsonElement Result(this JsonElement message) =>
        message.TryGetProperty("result", out var result) ? result : throw new Xunit.Sdk.XunitException($"Expected a result: {message.GetRawText()}");
}
