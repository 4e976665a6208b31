using System.Text.Json;
using System.Text.Json.Nodes;
using FakeOpenAi;
using TotService.Tests.Endpoint;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Tools;

/// <summary>
/// A run on the model of a 2026-07-28 client, which keeps no session: <c>tot_solve</c> answers with
/// <c>input_required</c> rounds (multi round-trip requests) and the SDK client answers each batch with its model.
/// </summary>
public sealed class ClientModelRoundTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    private const string Revision = "2026-07-28";

    [Fact]
    public async Task A_game_of_24_on_the_clients_model_is_solved_through_rounds_without_a_session()
    {
        var model = new CountingModel(new FakeModelChatClient(new Game24FakeModel(FakeEndpoint.Good, [], [], stepsPerProposal: 3)));
        await using var client = await host.ConnectAsync("rounds-" + Guid.NewGuid().ToString("N")[..6], samplingModel: model, protocolVersion: Revision);

        var result = await client.CallOkAsync("tot_solve", new { task = "4 9 10 13", domain = "game24", provider = "sampling", breadth = 3 });

        Assert.Null(client.SessionId);
        Assert.Equal(Revision, client.NegotiatedProtocolVersion);
        Assert.Equal("completed", result.Str("state"));
        Assert.True(result.GetProperty("solved").GetBoolean(), result.GetRawText());
        // The SDK client resolves at most 10 rounds per call: each beam level's questions came in one batch.
        Assert.True(model.Calls > 10, $"{model.Calls} model calls, in at most 10 rounds");
        Assert.Equal(model.Calls, result.GetProperty("metrics").GetProperty("modelCalls").GetInt32());
    }

    [Fact]
    public async Task The_first_round_asks_in_one_batch_and_a_used_forged_or_foreign_handle_is_refused_in_our_words()
    {
        var owner = "wire-" + Guid.NewGuid().ToString("N")[..6];
        using var http = new HttpClient { BaseAddress = host.Host.McpEndpoint };
        var first = await SolveAsync(http, host.Token(owner), requestState: null, answers: null);

        var result = first.Result();
        Assert.Equal("input_required", result.GetProperty("resultType").GetString());
        var requests = result.GetProperty("inputRequests").EnumerateObject().ToList();
        Assert.Single(requests); // the root's one proposal
        Assert.Equal("sampling/createMessage", requests[0].Value.GetProperty("method").GetString());
        Assert.Contains("Possible next steps", StatelessCalls.Prompt(requests[0].Value), StringComparison.Ordinal);
        var handle = result.GetProperty("requestState").GetString()!;
        var answers = new JsonObject { [requests[0].Name] = StatelessCalls.SamplingAnswer("4 + 9 = 13 (left: 10 13 13)\n10 + 13 = 23 (left: 4 9 23)") };

        var second = (await SolveAsync(http, host.Token(owner), handle, answers)).Result();
        Assert.Equal("input_required", second.GetProperty("resultType").GetString());
        Assert.Equal(2 * 3, second.GetProperty("inputRequests").EnumerateObject().Count()); // two states, three value votes each
        Assert.NotEqual(handle, second.GetProperty("requestState").GetString());

        var forged = handle[..^4] + (handle[^4..] == "0000" ? "1111" : "0000");
        foreach (var (token, state) in new[] { (host.Token(owner), handle), (host.Token(owner), forged), (host.Token("intruder"), second.GetProperty("requestState").GetString()!), (host.Token(owner), "run_x.1.zz") })
        {
            var refused = await SolveAsync(http, token, state, answers);
            var error = refused.GetProperty("error");
            Assert.Equal(-32602, error.GetProperty("code").GetInt32());
            Assert.Contains("requestState", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", refused.GetRawText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Hostile_answers_get_an_error_in_our_words_and_leave_the_round_open()
    {
        var owner = "hostile-" + Guid.NewGuid().ToString("N")[..6];
        using var http = new HttpClient { BaseAddress = host.Host.McpEndpoint };
        var first = (await SolveAsync(http, host.Token(owner), requestState: null, answers: null)).Result();
        var key = first.GetProperty("inputRequests").EnumerateObject().Single().Name;
        var handle = first.GetProperty("requestState").GetString()!;

        foreach (var answer in new JsonNode?[] { "plain text", 42, new JsonObject { ["role"] = "assistant" }, new JsonArray(1, 2), new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(new JsonObject { ["type"] = "hologram" }) } })
        {
            var refused = await SolveAsync(http, host.Token(owner), handle, new JsonObject { [key] = answer?.DeepClone() });
            Assert.True(refused.TryGetProperty("error", out var error), refused.GetRawText());
            Assert.Equal(-32602, error.GetProperty("code").GetInt32());
            Assert.DoesNotContain("Exception", refused.GetRawText(), StringComparison.Ordinal);
            Assert.DoesNotContain("An error occurred", refused.GetRawText(), StringComparison.Ordinal);
        }

        // The round is still open: the same handle with a readable answer goes on.
        var next = (await SolveAsync(http, host.Token(owner), handle, new JsonObject { [key] = StatelessCalls.SamplingAnswer("4 + 9 = 13 (left: 10 13 13)") })).Result();
        Assert.Equal("input_required", next.GetProperty("resultType").GetString());
    }

    private static Task<JsonElement> SolveAsync(HttpClient http, string token, string? requestState, JsonObject? answers)
    {
        var parameters = new JsonObject
        {
            ["name"] = "tot_solve",
            ["arguments"] = new JsonObject { ["task"] = "4 9 10 13", ["domain"] = "game24", ["provider"] = "sampling", ["breadth"] = 3 },
        };
        if (requestState is not null)
        {
            parameters["requestState"] = requestState;
            parameters["inputResponses"] = answers?.DeepClone();
        }
        return StatelessCalls.SendAsync(http, token, "tools/call", "tot_solve", parameters, StatelessCalls.Meta());
    }

    /// <summary>Counts the questions the client's model answered.</summary>
    private sealed class CountingModel(Microsoft.Extensions.AI.IChatClient inner) : Microsoft.Extensions.AI.DelegatingChatClient(inner)
    {
        private int calls;

        public int Calls => Volatile.Read(ref calls);

        public override Task<Microsoft.Extensions.AI.ChatResponse> GetResponseAsync(
            IEnumerable<Microsoft.Extensions.AI.ChatMessage> messages, Microsoft.Extensions.AI.ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref calls);
            return base.GetResponseAsync(messages, options, cancellationToken);
        }
    }
}
