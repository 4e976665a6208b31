using System.Text.Json;
using System.Text.Json.Nodes;
using FakeOpenAi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TotService.Tests.Endpoint;
using TotService.Tests.Infrastructure;
using TotService.Tests.Tools;

namespace TotService.Tests.Tasks;

/// <summary>
/// Runs as MCP tasks (the io.modelcontextprotocol/tasks extension) for a 2026-07-28 client that declares it:
/// created by tot_start_run, followed with tasks/get, fed the client's model answers with tasks/update, cancelled with
/// tasks/cancel, and kept from other clients and from requests that do not declare the extension.
/// </summary>
public sealed class RunTaskTests(RunTaskTests.LoggedHost host) : IClassFixture<RunTaskTests.LoggedHost>
{
    /// <summary>Collects the service's log, so the tests can show that task calls log no errors.</summary>
    public sealed class LoggedHost : ToolsHost
    {
        public FakeLogCollector Collector { get; } = new();

        protected override ILoggerProvider? Logs => new FakeLoggerProvider(Collector);

        public string Errors() => string.Join("\n", Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Warning).Select(r => $"{r.Message} {r.Exception}"));
    }

    private static readonly JsonObject TaskMeta = StatelessCalls.Meta(sampling: true, tasks: true);

    [Fact]
    public async Task A_game_of_24_on_the_clients_model_runs_as_a_task_answered_through_updates()
    {
        var owner = "tasker-" + Guid.NewGuid().ToString("N")[..6];
        using var http = new HttpClient { BaseAddress = host.Host.McpEndpoint };
        var model = new Game24FakeModel(FakeEndpoint.Good, [], [], stepsPerProposal: 3);

        var start = await StartAsync(http, owner, new JsonObject { ["task"] = "4 9 10 13", ["domain"] = "game24", ["provider"] = "sampling", ["breadth"] = 3 });
        Assert.True(start.TryGetProperty("result", out _), host.Errors());
        var created = start.Result();
        Assert.Equal("task", created.GetProperty("resultType").GetString());
        Assert.Equal("input_required", created.GetProperty("status").GetString());
        Assert.True(created.GetProperty("pollIntervalMs").GetInt64() > 0);
        Assert.True(created.GetProperty("ttlMs").GetInt64() > 0);
        var taskId = created.GetProperty("taskId").GetString()!;

        var rounds = 0;
        var answered = new HashSet<string>(StringComparer.Ordinal);
        JsonElement task;
        while ((task = (await TaskCallAsync(http, owner, "tasks/get", taskId)).Result()).GetProperty("status").GetString() == "input_required")
        {
            Assert.True(++rounds <= 20, "the task kept asking");
            var answers = new JsonObject();
            foreach (var request in task.GetProperty("inputRequests").EnumerateObject())
            {
                Assert.True(answered.Add(request.Name), $"key {request.Name} asked twice over the task's life");
                answers[request.Name] = StatelessCalls.SamplingAnswer(model.Reply(StatelessCalls.Prompt(request.Value), 0) ?? "");
            }
            var ack = await TaskCallAsync(http, owner, "tasks/update", taskId, new JsonObject { ["inputResponses"] = answers });
            Assert.Equal("complete", ack.Result().GetProperty("resultType").GetString());
        }

        Assert.Equal("completed", task.GetProperty("status").GetString());
        var result = task.Result();
        Assert.NotEqual(JsonValueKind.True, result.TryGetProperty("isError", out var isError) ? isError.ValueKind : JsonValueKind.Undefined);
        var view = result.GetProperty("structuredContent");
        Assert.True(view.GetProperty("solved").GetBoolean(), view.GetRawText());
        Assert.True(rounds >= 4, $"{rounds} rounds");
        TestContext.Current.TestOutputHelper?.WriteLine($"game24 task on the client's model: {rounds} rounds, {answered.Count} questions");
    }

    [Fact]
    public async Task A_task_on_the_servers_solver_is_polled_to_its_result_and_one_waiting_for_the_client_is_cancelled()
    {
        var owner = "solver-" + Guid.NewGuid().ToString("N")[..6];
        using var http = new HttpClient { BaseAddress = host.Host.McpEndpoint };

        var created = (await StartAsync(http, owner, new JsonObject { ["task"] = "4 9 10 13", ["domain"] = "game24", ["provider"] = "domain" })).Result();
        Assert.Equal("task", created.GetProperty("resultType").GetString());
        var taskId = created.GetProperty("taskId").GetString()!;
        var done = await Testing.Eventually.UntilAsync(
            async _ => (await TaskCallAsync(http, owner, "tasks/get", taskId)).Result(),
            task => task.GetProperty("status").GetString() == "completed", TimeSpan.FromSeconds(30), "the game24 task to complete", task => task.GetRawText(),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(done.Result().GetProperty("structuredContent").GetProperty("solved").GetBoolean());

        var waiting = (await StartAsync(http, owner, new JsonObject { ["task"] = "Plan a trip", ["provider"] = "sampling" })).Result();
        Assert.Equal("input_required", waiting.GetProperty("status").GetString());
        var waitingId = waiting.GetProperty("taskId").GetString()!;
        await TaskCallAsync(http, owner, "tasks/cancel", waitingId);
        var cancelled = (await TaskCallAsync(http, owner, "tasks/get", waitingId)).Result();
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.False(cancelled.TryGetProperty("inputRequests", out _));
    }

    [Fact]
    public async Task Tasks_are_refused_to_other_clients_to_requests_without_the_extension_and_on_a_wrong_routing_header()
    {
        var owner = "keeper-" + Guid.NewGuid().ToString("N")[..6];
        using var http = new HttpClient { BaseAddress = host.Host.McpEndpoint };
        var taskId = (await StartAsync(http, owner, new JsonObject { ["task"] = "4 9 10 13", ["domain"] = "game24", ["provider"] = "domain" }))
            .Result().GetProperty("taskId").GetString()!;

        var foreign = await TaskCallAsync(http, "intruder-" + owner, "tasks/get", taskId);
        Assert.Equal(-32602, foreign.GetProperty("error").GetProperty("code").GetInt32());
        var unknown = await TaskCallAsync(http, owner, "tasks/get", "run_" + new string('0', 32));
        Assert.Equal(foreign.GetProperty("error").GetProperty("message").GetString()!.Replace(taskId, "X", StringComparison.Ordinal),
            unknown.GetProperty("error").GetProperty("message").GetString()!.Replace("run_" + new string('0', 32), "X", StringComparison.Ordinal));

        var undeclared = await SendWithNameAsync(http, host.Token(owner), taskId, taskId, meta: StatelessCalls.Meta());
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, undeclared.Status);
        Assert.Contains("\"code\":-32021", undeclared.Body, StringComparison.Ordinal);
        Assert.Contains("io.modelcontextprotocol/tasks", undeclared.Body, StringComparison.Ordinal);

        var started = await StatelessCalls.SendAsync(http, host.Token(owner), "tools/call", "tot_start_run",
            new JsonObject { ["name"] = "tot_start_run", ["arguments"] = new JsonObject { ["task"] = "4 9 10 13", ["domain"] = "game24", ["provider"] = "domain" } },
            StatelessCalls.Meta());
        Assert.False(started.Result().TryGetProperty("resultType", out var type) && type.GetString() == "task", "a task for a client that did not declare the extension");

        var response = await SendWithNameAsync(http, host.Token(owner), taskId, "run_" + new string('1', 32));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.Status);
        Assert.Contains("-32020", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_without_tot_write_may_read_a_task_but_not_cancel_it()
    {
        var owner = "reader-" + Guid.NewGuid().ToString("N")[..6];
        using var http = new HttpClient { BaseAddress = host.Host.McpEndpoint };
        var taskId = (await StartAsync(http, owner, new JsonObject { ["task"] = "4 9 10 13", ["domain"] = "game24", ["provider"] = "domain" }))
            .Result().GetProperty("taskId").GetString()!;
        var readOnly = host.Token(owner, "tot:read");

        var read = await StatelessCalls.SendAsync(http, readOnly, "tasks/get", taskId, new JsonObject { ["taskId"] = taskId }, TaskMeta.DeepClone().AsObject());
        Assert.True(read.TryGetProperty("result", out _), read.GetRawText());
        var response = await SendWithNameAsync(http, readOnly, taskId, taskId, method: "tasks/cancel");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.Status);
    }

    private Task<JsonElement> StartAsync(HttpClient http, string owner, JsonObject arguments) =>
        StatelessCalls.SendAsync(http, host.Token(owner), "tools/call", "tot_start_run",
            new JsonObject { ["name"] = "tot_start_run", ["arguments"] = arguments }, TaskMeta.DeepClone().AsObject());

    private Task<JsonElement> TaskCallAsync(HttpClient http, string owner, string method, string taskId, JsonObject? extra = null)
    {
        var parameters = extra ?? new JsonObject();
        parameters["taskId"] = taskId;
        return StatelessCalls.SendAsync(http, host.Token(owner), method, taskId, parameters, TaskMeta.DeepClone().AsObject());
    }

    /// <summary>A task call whose Mcp-Name header says <paramref name="headerName"/> while the body names <paramref name="taskId"/>.</summary>
    private static async Task<(System.Net.HttpStatusCode Status, string Body)> SendWithNameAsync(
        HttpClient http, string token, string taskId, string headerName, string method = "tasks/get", JsonObject? meta = null)
    {
        var body = new JsonObject
        {
            ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method,
            ["params"] = new JsonObject { ["taskId"] = taskId, ["_meta"] = meta ?? TaskMeta.DeepClone() },
        }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", StatelessCalls.Revision);
        request.Headers.Add("Mcp-Method", method);
        request.Headers.Add("Mcp-Name", headerName);
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
