using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FakeOpenAi;

/// <summary>
/// An OpenAI-compatible chat endpoint on real Kestrel (127.0.0.1, a free port) that answers
/// <c>POST /v1/chat/completions</c> from a <see cref="FakeScript"/>, with <c>n</c> choices and usage counts
/// (a token is a whitespace-separated word, so counts follow from the script).
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly FakeScript script;
    private readonly ConcurrentQueue<FakeRequest> requests = new();
    private long promptTokens;
    private long completionTokens;
    private int inFlight;
    private int maxInFlight;

    private FakeOpenAiServer(WebApplication app, FakeScript script)
    {
        this.app = app;
        this.script = script;
    }

    /// <summary>The base URL a client is configured with, ending in <c>/v1/</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyCollection<FakeRequest> Requests => requests;

    /// <summary>Rules may be added while the server runs (e.g. a fault for one test).</summary>
    public FakeScript Script => script;

    public long PromptTokens => Interlocked.Read(ref promptTokens);

    public long CompletionTokens => Interlocked.Read(ref completionTokens);

    /// <summary>The most requests this server has been answering at one time.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref maxInFlight);

    public static async Task<FakeOpenAiServer> StartAsync(FakeScript script, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeOpenAiServer(app, script);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync(cancellationToken);
        server.BaseUrl = new Uri(app.Urls.First().TrimEnd('/') + "/v1/");
        return server;
    }

    public static int CountTokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    private async Task HandleAsync(HttpContext context)
    {
        var now = Interlocked.Increment(ref inFlight);
        for (var seen = Volatile.Read(ref maxInFlight); now > seen; seen = Volatile.Read(ref maxInFlight))
        {
            Interlocked.CompareExchange(ref maxInFlight, now, seen);
        }
        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        FakeRequest request;
        try
        {
            request = Parse(await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted),
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } authorization ? authorization : null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException)
        {
            await WriteAsync(context, 400, Error("invalid_request_error", "The body is not a chat completion request: " + ex.Message));
            return;
        }

        requests.Enqueue(request);
        var rule = script.RuleFor(request.Prompt);
        if (rule is { Delay: var delay } && delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        switch (rule?.Fault ?? FakeFault.None)
        {
            case FakeFault.ServerError:
                await WriteAsync(context, 500, Error("server_error", "The scripted server failed."));
                return;
            case FakeFault.MalformedJson:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\": \"chatcmpl-broken\", \"choices\": [", context.RequestAborted);
                return;
        }

        var prompt = request.Messages.Sum(m => CountTokens(m.Content));
        var choices = new JsonArray();
        var completion = 0;
        if (rule?.Fault != FakeFault.EmptyChoices)
        {
            for (var i = 0; i < request.N; i++)
            {
                var (text, cut) = Limit(script.ReplyFor(rule, request.Prompt, i), Min(request.MaxTokens, rule?.CutAfterTokens));
                completion += CountTokens(text);
                choices.Add(new JsonObject
                {
                    ["index"] = i,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
                    ["finish_reason"] = cut ? "length" : "stop",
                });
            }
        }

        Interlocked.Add(ref promptTokens, prompt);
        Interlocked.Add(ref completionTokens, completion);
        await WriteAsync(context, 200, new JsonObject
        {
            ["id"] = "chatcmpl-" + requests.Count,
            ["object"] = "chat.completion",
            ["created"] = 1_764_547_200,
            ["model"] = request.Model,
            ["choices"] = choices,
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = prompt,
                ["completion_tokens"] = completion,
                ["total_tokens"] = prompt + completion,
            },
        });
    }

    private static FakeRequest Parse(JsonNode? body, string? authorization)
    {
        var messages = body!["messages"]!.AsArray().Select(m => new FakeMessage(
            m!["role"]!.GetValue<string>(),
            m["content"] switch
            {
                JsonValue value => value.GetValue<string>(),
                JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
                _ => "",
            })).ToList();
        var maxTokens = body["max_completion_tokens"] ?? body["max_tokens"];
        return new FakeRequest(
            body["model"]?.GetValue<string>() ?? "",
            messages,
            body["n"]?.GetValue<int>() ?? 1,
            maxTokens?.GetValue<int>(),
            authorization);
    }

    private static int? Min(int? a, int? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static (string Text, bool Cut) Limit(string text, int? maxTokens)
    {
        var words = text.Split(' ');
        if (maxTokens is not int max || CountTokens(text) <= max)
        {
            return (text, false);
        }

        // Keep whole words up to the limit, as a tokenizer-bound model stops mid-sentence.
        var kept = new List<string>();
        var count = 0;
        foreach (var word in words)
        {
            count += CountTokens(word);
            if (count > max)
            {
                break;
            }

            kept.Add(word);
        }

        return (string.Join(' ', kept), true);
    }

    private static JsonObject Error(string type, string message) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = null } };

    private static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
