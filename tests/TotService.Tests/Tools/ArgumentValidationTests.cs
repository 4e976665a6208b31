namespace TotService.Tests.Tools;

/// <summary>Every bad argument gets a tool error (IsError, HTTP 200) that says what is allowed; never a 500 or a hang.</summary>
public sealed class ArgumentValidationTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    public static TheoryData<string, string, string> BadRunArguments => new()
    {
        // tool, arguments (JSON), expected fragment of the message
        { "tot_start_run", """{"task":"","domain":"game24"}""", "task must not be empty" },
        { "tot_start_run", """{"task":"   "}""", "task must not be empty" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"chess"}""", "Allowed: general, game24" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","strategy":"random"}""", "Allowed: beam (alias bfs), best-first" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","breadth":-1}""", "breadth must be between 1 and 10 (got -1)" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","breadth":11}""", "breadth must be between 1 and 10" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","maxDepth":0}""", "maxDepth must be between 1 and 10" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","maxDepth":2147483647}""", "maxDepth must be between 1 and 10" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","maxNodes":2001}""", "maxNodes must be between 1 and 2000" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","timeBudgetSeconds":-5}""", "timeBudgetSeconds must be greater than 0 and at most 600" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","timeBudgetSeconds":1e308}""", "timeBudgetSeconds must be greater than 0 and at most 600" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","scoreThreshold":1.5}""", "scoreThreshold must be between 0 and 1" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","provider":"oracle"}""", "Allowed: auto, domain, sampling, endpoint" },
        { "tot_start_run", """{"task":"plan a trip","domain":"general"}""", "No thought provider applies" },
        { "tot_start_run", """{"task":"plan a trip","domain":"general","provider":"domain"}""", "has none (solvers: game24)" },
        { "tot_start_run", """{"task":"4 9 x 13","domain":"game24"}""", "'x' is not allowed" },
        { "tot_solve", """{"task":"4 9 10 13","domain":"game24","breadth":0,"maxNodes":-3}""", "maxNodes must be between 1 and 2000 (got -3)" },
        { "tot_run_status", """{"runId":"run_00000000000000000000000000000000"}""", "was not found" },
        { "tot_run_status", """{"runId":"../../etc/passwd"}""", "was not found" },
        { "tot_run_result", """{"runId":""}""", "was not found" },
        { "tot_run_trace", """{"runId":"nope"}""", "was not found" },
        { "tot_cancel_run", """{"runId":"run_x"}""", "was not found" },
        { "tot_list_runs", """{"limit":0}""", "limit must be between 1 and 100" },
        { "tot_list_runs", """{"limit":100000}""", "limit must be between 1 and 100" },
        { "tot_tree_create", """{"task":""}""", "task must not be empty" },
        { "tot_tree_create", """{"task":"t","strategy":"dijkstra"}""", "Unknown strategy 'dijkstra'" },
        { "tot_tree_create", """{"task":"t","maxDepth":99}""", "maxDepth must be between 1 and 10" },
        { "tot_tree_view", """{"treeId":"tree_00000000000000000000000000000000"}""", "was not found" },
        { "tot_tree_next", """{"treeId":"x"}""", "was not found" },
    };

    [Theory]
    [MemberData(nameof(BadRunArguments))]
    public async Task Bad_arguments_give_a_tool_error_that_says_what_is_allowed(string tool, string argumentsJson, string expected)
    {
        await using var client = await host.ConnectAsync("validator-" + Guid.NewGuid().ToString("N")[..6]);
        var arguments = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(argumentsJson);

        var message = await client.CallErrorAsync(tool, arguments);

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> WrongTypes => new()
    {
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","breadth":"five"}""", "breadth must be a whole number (32-bit) (got \"five\")" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","maxNodes":1.5}""", "maxNodes must be a whole number (32-bit) (got 1.5)" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","maxNodes":1e12}""", "maxNodes must be a whole number (32-bit)" },
        { "tot_start_run", """{"task":"4 9 10 13","domain":"game24","timeBudgetSeconds":"soon"}""", "timeBudgetSeconds must be a number" },
        { "tot_start_run", """{"task":["4 9 10 13"],"domain":"game24"}""", "task must be a string (got an array)" },
        { "tot_start_run", """{"task":null}""", "task must be a string (got null)" },
        { "tot_start_run", """{"domain":"game24"}""", "task is required" },
        { "tot_cancel_run", """{}""", "runId is required" },
        { "tot_tree_add_thoughts", """{"treeId":"tree_00000000000000000000000000000000","parentId":0,"thoughts":"not an array"}""", "thoughts must be an array" },
        { "tot_tree_add_thoughts", """{"treeId":"tree_00000000000000000000000000000000","parentId":0,"thoughts":[1,2]}""", "thoughts[0] must be a string" },
        { "tot_tree_score", """{"treeId":"tree_00000000000000000000000000000000","scores":[{"nodeId":"one","score":1}]}""", "scores[0].nodeId must be a whole number" },
        { "tot_tree_score", """{"treeId":"tree_00000000000000000000000000000000","scores":[{"score":1}]}""", "scores[0].nodeId is required" },
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task Wrong_types_and_missing_arguments_give_a_tool_error_naming_the_argument(string tool, string argumentsJson, string expected)
    {
        await using var client = await host.ConnectAsync("types-" + Guid.NewGuid().ToString("N")[..6]);
        var arguments = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(argumentsJson);

        var message = await client.CallErrorAsync(tool, arguments);

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> EchoedArguments => new()
    {
        { "tot_start_run", "provider" },
        { "tot_start_run", "domain" },
        { "tot_start_run", "strategy" },
        { "tot_start_run", "task" },
        { "tot_tree_create", "strategy" },
    };

    [Theory]
    [MemberData(nameof(EchoedArguments))]
    public async Task A_huge_bad_value_is_quoted_back_clipped(string tool, string argument)
    {
        await using var client = await host.ConnectAsync("echo-" + Guid.NewGuid().ToString("N")[..6]);
        // 200 KB (UTF-8) of one bad value; for the task (at most 10,000 characters) a game24 puzzle whose one
        // "number" is a long word.
        var huge = "x" + new string('\u00e9', argument == "task" ? 9_000 : 100_000);
        var arguments = new Dictionary<string, object?> { ["task"] = "4 9 10 13", ["domain"] = "game24", [argument] = argument == "task" ? "4 9 " + huge : huge };

        var message = await client.CallErrorAsync(tool, arguments);

        Assert.Contains("x" + new string('\u00e9', 39) + "...", message, StringComparison.Ordinal);
        Assert.True(message.Length < 1024, $"the error quoted {message.Length} characters back");
    }
}
