using FakeOpenAi;
using TotService.Engine.Domains.Game24;
using TotService.Tests.Tools;

namespace TotService.Tests.Endpoint;

/// <summary><c>tot_solve</c> over MCP with a model: the configured endpoint (a fake server over HTTP) and the client's model through sampling.</summary>
public sealed class EndpointSolveTests(FakeEndpointHost host) : IClassFixture<FakeEndpointHost>
{
    [Fact]
    public async Task Game24_with_the_endpoint_provider_returns_a_verified_answer_and_its_trace()
    {
        await using var client = await host.ConnectAsync("endpoint-" + Guid.NewGuid().ToString("N")[..6]);
        var before = host.Fake.Requests.Count;

        var result = await client.CallOkAsync("tot_solve", new { task = "4 9 10 13", domain = "game24", provider = "endpoint", timeBudgetSeconds = 60, maxNodes = 2000 });

        Assert.Equal("completed", result.Str("state"));
        Assert.True(result.GetProperty("solved").GetBoolean());
        Assert.True(Game24Verifier.Verify(Game24Puzzle.Parse("4 9 10 13"), result.Str("answer")).IsValid, result.Str("answer"));
        var path = result.GetProperty("bestPath").EnumerateArray().Select(s => s.Str("thought")).ToList();
        Assert.Equal(4, path.Count);
        Assert.EndsWith("(left: 24)", path[3], StringComparison.Ordinal);
        var calls = result.GetProperty("metrics").GetProperty("modelCalls").GetInt32();
        Assert.Equal(calls, host.Fake.Requests.Count - before);

        var trace = await client.CallOkAsync("tot_run_trace", new { runId = result.Str("runId") });
        Assert.StartsWith("graph TD", trace.Str("mermaid"), StringComparison.Ordinal);
        Assert.Contains(trace.GetProperty("tree").GetProperty("nodes").EnumerateArray(), n => n.Str("status") == "Pruned");
    }

    [Fact]
    public async Task Game24_where_three_paths_reach_24_and_the_answer_line_is_wrong_is_solved_with_a_verified_answer()
    {
        // 12 + 12, 3 * 8 and 36 - 12 all reach 24, every state is valued "sure", and the answer line the model writes,
        // (2 + 4) + (6 + 6), is 18 and uses 6 twice: the paths are still solutions, with their own expressions.
        await using var client = await host.ConnectAsync("three-paths-" + Guid.NewGuid().ToString("N")[..6]);
        host.Fake.Script.Rules.InsertRange(0,
        [
            new FakeRule("Possible next steps:.*Input: 2 4 6 12$", "2 + 4 = 6 (left: 6 6 12)\n6 / 2 = 3 (left: 3 4 12)"),
            new FakeRule("Possible next steps:.*Input: 6 12 6$", "6 + 6 = 12 (left: 12 12)\n6 * 6 = 36 (left: 12 36)"),
            new FakeRule("Possible next steps:.*Input: 4 12 3$", "12 - 4 = 8 (left: 3 8)"),
            new FakeRule("Possible next steps:.*Input: 12 12$", "12 + 12 = 24 (left: 24)"),
            new FakeRule("Possible next steps:.*Input: 12 36$", "36 - 12 = 24 (left: 24)"),
            new FakeRule("Possible next steps:.*Input: 3 8$", "3 * 8 = 24 (left: 24)"),
            new FakeRule("sure, likely or impossible.*\n(6 12 6|4 12 3|12 12|12 36|3 8)$", "sure"),
            new FakeRule("Input: 2 4 6 12\nSteps:\n", "Answer: (2 + 4) + (6 + 6) = 24"),
            new FakeRule("Input: 2 4 6 12\nAnswer: .*Judge:$", "sure"),
        ]);

        var result = await client.CallOkAsync("tot_solve", new { task = "2 4 6 12", domain = "game24", provider = "endpoint", strategy = "beam", breadth = 5, maxDepth = 4, timeBudgetSeconds = 60 });

        Assert.True(result.GetProperty("solved").GetBoolean(), result.ToString());
        Assert.Equal("solution_found", result.Str("stopReason"));
        Assert.True(Game24Verifier.Verify(Game24Puzzle.Parse("2 4 6 12"), result.Str("answer")).IsValid, result.Str("answer"));
        Assert.EndsWith("= 24 (left: 24)", result.GetProperty("bestPath").EnumerateArray().Last().Str("thought"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task General_tasks_use_the_generic_prompts_over_the_endpoint()
    {
        await using var client = await host.ConnectAsync("general-" + Guid.NewGuid().ToString("N")[..6]);

        var result = await client.CallOkAsync("tot_solve", new { task = "Plan a dinner", provider = "endpoint", maxDepth = 1, timeBudgetSeconds = 30 });

        Assert.Equal("completed", result.Str("state"));
        Assert.Equal("Order pizza", result.GetProperty("bestPath").EnumerateArray().Last().Str("thought"));
        Assert.Equal(1.0, result.GetProperty("bestScore").GetDouble());
    }

    [Fact]
    public async Task Game24_through_sampling_asks_the_clients_model_the_same_prompts()
    {
        // Fewer proposals per step than the endpoint tests: every sampling request is a round trip through the client.
        var model = new FakeModelChatClient(new Game24FakeModel(FakeEndpoint.Good, [], [], stepsPerProposal: 3));
        await using var client = await host.ConnectAsync("sampling-24-" + Guid.NewGuid().ToString("N")[..6], samplingModel: new NonStreaming(model));
        var before = host.Fake.Requests.Count;

        var result = await client.CallOkAsync("tot_solve", new { task = "1 4 8 8", domain = "game24", provider = "sampling", timeBudgetSeconds = 300, maxNodes = 2000 });

        Assert.True(result.GetProperty("solved").GetBoolean(), result.ToString());
        Assert.True(Game24Verifier.Verify(Game24Puzzle.Parse("1 4 8 8"), result.Str("answer")).IsValid);
        Assert.Equal(result.GetProperty("metrics").GetProperty("modelCalls").GetInt32(), model.Calls);
        Assert.Equal(before, host.Fake.Requests.Count);
        var path = result.GetProperty("bestPath").EnumerateArray().Select(s => s.Str("thought")).ToList();
        Assert.Equal(4, path.Count);
        Assert.EndsWith("(left: 24)", path[3], StringComparison.Ordinal);

        var trace = await client.CallOkAsync("tot_run_trace", new { runId = result.Str("runId") });
        Assert.StartsWith("graph TD", trace.Str("mermaid"), StringComparison.Ordinal);
        var nodes = trace.GetProperty("tree").GetProperty("nodes").EnumerateArray().ToList();
        Assert.All(path, thought => Assert.Contains(nodes, n => n.Str("thought") == thought));
        Assert.Contains(nodes, n => n.Str("status") == "Solution" && n.Str("thought") == path[3]);
    }

    [Fact]
    public async Task A_failing_endpoint_ends_the_run_with_a_readable_error()
    {
        await using var client = await host.ConnectAsync("failing-" + Guid.NewGuid().ToString("N")[..6]);
        host.Fake.Script.Rules.Insert(0, new FakeRule("Input: 2 3 5 12$") { Fault = FakeFault.ServerError, Times = 1 });

        var result = await client.CallOkAsync("tot_solve", new { task = "2 3 5 12", domain = "game24", provider = "endpoint", timeBudgetSeconds = 30 });

        Assert.Equal("failed", result.Str("state"));
        Assert.Contains("500", result.Str("error"), StringComparison.Ordinal);
    }
}
