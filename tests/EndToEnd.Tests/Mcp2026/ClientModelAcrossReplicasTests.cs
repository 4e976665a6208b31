using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using EndToEnd.Tests.Infrastructure;
using FakeOpenAi;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using static EndToEnd.Tests.Mcp2026.RawMcp;

namespace EndToEnd.Tests.Mcp2026;

/// <summary>
/// A Game of 24 on the client's model for a 2026-07-28 client, which keeps no session, on the real app model: its
/// rounds (multi round-trip requests) alternate between the two TotService replicas, and as a task it is started on
/// one replica and answered, polled and finished on the other. The client's model is the scripted Game of 24 model.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClientModelAcrossReplicasTests(EndToEndAppModel model)
{
    private static readonly int[] Puzzle = [4, 9, 10, 13];

    private static Game24FakeModel ClientsModel() => new([Puzzle], [], [], stepsPerProposal: 3);

    [Fact]
    public async Task A_game_of_24_completes_through_rounds_that_alternate_replicas()
    {
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        var replicas = Enumerable.Range(0, model.TotServiceInstances).Select(i => model.CreateHttpClient(model.TotServices[i])).ToList();
        var clientsModel = ClientsModel();
        JsonObject? retry = null;
        var rounds = 0;
        JsonElement result;
        while (true)
        {
            var parameters = new JsonObject { ["name"] = "tot_solve", ["arguments"] = new JsonObject { ["task"] = "4 9 10 13", ["domain"] = "game24", ["provider"] = "sampling", ["breadth"] = 3 } };
            foreach (var (key, value) in retry ?? [])
            {
                parameters[key] = value?.DeepClone();
            }
            result = await CallAsync(replicas[rounds % replicas.Count], token, "tools/call", "tot_solve", parameters, tasks: false);
            if (!result.TryGetProperty("resultType", out var type) || type.GetString() != "input_required")
            {
                break;
            }
            Assert.True(++rounds <= 12, "the run kept asking");
            retry = new JsonObject
            {
                ["requestState"] = result.GetProperty("requestState").GetString(),
                ["inputResponses"] = Answers(clientsModel, result.GetProperty("inputRequests")),
            };
        }

        Assert.True(rounds >= 4, $"{rounds} rounds");
        TestContext.Current.TestOutputHelper?.WriteLine($"game24 on the client's model over multi round-trip requests: {rounds} rounds over {replicas.Count} replicas");
        var view = result.GetProperty("structuredContent");
        Assert.True(view.GetProperty("solved").GetBoolean(), view.GetRawText());
        Assert.Equal("completed", view.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_task_started_on_one_replica_is_answered_polled_and_finished_on_the_other()
    {
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        using var first = model.CreateHttpClient(model.TotServices[0]);
        using var second = model.CreateHttpClient(model.TotServices[1]);
        var clientsModel = ClientsModel();

        var created = await CallAsync(first, token, "tools/call", "tot_start_run",
            new JsonObject { ["name"] = "tot_start_run", ["arguments"] = new JsonObject { ["task"] = "4 9 10 13", ["domain"] = "game24", ["provider"] = "sampling", ["breadth"] = 3 } },
            tasks: true);
        Assert.Equal("task", created.GetProperty("resultType").GetString());
        var taskId = created.GetProperty("taskId").GetString()!;

        var polls = 0;
        JsonElement task;
        while ((task = await CallAsync(second, token, "tasks/get", taskId, new JsonObject { ["taskId"] = taskId }, tasks: true)).GetProperty("status").GetString() == "input_required")
        {
            Assert.True(++polls <= 12, "the task kept asking");
            await CallAsync(second, token, "tasks/update", taskId,
                new JsonObject { ["taskId"] = taskId, ["inputResponses"] = Answers(clientsModel, task.GetProperty("inputRequests")) }, tasks: true);
        }

        Assert.Equal("completed", task.GetProperty("status").GetString());
        Assert.True(task.GetProperty("result").GetProperty("structuredContent").GetProperty("solved").GetBoolean(), task.GetRawText());

        // The run behind the task reads the same on the replica that started it.
        var status = await CallAsync(first, token, "tools/call", "tot_run_status",
            new JsonObject { ["name"] = "tot_run_status", ["arguments"] = new JsonObject { ["runId"] = taskId } }, tasks: false);
        Assert.Equal("completed", status.GetProperty("structuredContent").GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_sdk_client_lends_its_model_through_rounds_without_a_session()
    {
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        var clientsModel = ClientsModel();
        var options = new McpClientOptions { ProtocolVersion = Revision };
#pragma warning disable MCP9005 // sampling is deprecated by 2026-07-28 yet is how a client lends its model inside a round
        options.Handlers = new McpClientHandlers
        {
            SamplingHandler = (request, _, _) => ValueTask.FromResult(new CreateMessageResult
            {
                Model = "scripted",
                Role = Role.Assistant,
                Content = [new TextContentBlock { Text = clientsModel.Reply(((TextContentBlock)request!.Messages[^1].Content[0]).Text, 0) ?? "" }],
            }),
        };
#pragma warning restore MCP9005
        await using var client = await model.ConnectAsync(token, 1, options, TestContext.Current.CancellationToken);

        var result = await client.CallToolAsync("tot_solve", new Dictionary<string, object?> { ["task"] = "4 9 10 13", ["domain"] = "game24", ["provider"] = "sampling", ["breadth"] = 3 },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(client.SessionId);
        Assert.True(result.IsError != true, string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text)));
        Assert.True(result.StructuredContent!.Value.GetProperty("solved").GetBoolean());
    }

    private static JsonObject Answers(Game24FakeModel clientsModel, JsonElement inputRequests)
    {
        var answers = new JsonObject();
        foreach (var request in inputRequests.EnumerateObject())
        {
            var content = request.Value.GetProperty("params").GetProperty("messages").EnumerateArray().Last().GetProperty("content");
            var prompt = (content.ValueKind == JsonValueKind.Array ? content.EnumerateArray().First() : content).GetProperty("text").GetString()!;
            answers[request.Name] = new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = clientsModel.Reply(prompt, 0) ?? "" }),
                ["model"] = "scripted",
            };
        }
        return answers;
    }

    /// <summary>A 2026-07-28 call declaring sampling (and the tasks extension when asked); the JSON-RPC result.</summary>
    private static async Task<JsonElement> CallAsync(HttpClient http, string token, string method, string name, JsonObject parameters, bool tasks)
    {
        var capabilities = new JsonObject { ["sampling"] = new JsonObject() };
        if (tasks)
        {
            capabilities["extensions"] = new JsonObject { ["io.modelcontextprotocol/tasks"] = new JsonObject() };
        }
        parameters["_meta"] = new JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = Revision,
            ["io.modelcontextprotocol/clientCapabilities"] = capabilities,
            ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "raw", ["version"] = "1" },
        };
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 5, ["method"] = method, ["params"] = parameters }.ToJsonString();
        var (status, message, raw) = await SendAsync(http, Post(token, body, Headers(method, name)));
        Assert.True(status == HttpStatusCode.OK && message.TryGetProperty("result", out _), $"{method}: {(int)status} {raw}");
        return message.GetProperty("result");
    }
}
