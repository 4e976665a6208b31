using TotService.Engine.Domains.Game24;

namespace TotService.Tests.Tools;

/// <summary>Server-driven runs through a real MCP client: start, status, result, trace, list, solve with progress, ownership.</summary>
public sealed class RunToolsTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    [Fact]
    public async Task A_game24_run_starts_finishes_and_its_result_and_trace_are_readable()
    {
        await using var client = await host.ConnectAsync("alice-" + Guid.NewGuid().ToString("N")[..6]);

        var started = await client.CallOkAsync("tot_start_run", new { task = "4 9 10 13", domain = "game24", strategy = "beam", breadth = 5 });
        var runId = started.Str("runId");
        Assert.Matches("^run_[0-9a-f]{32}$", runId);
        Assert.Equal("domain", started.Str("provider"));

        var status = await client.WaitForRunAsync(runId);
        Assert.Equal("completed", status.Str("state"));
        Assert.Equal("solution_found", status.Str("stopReason"));
        Assert.True(status.GetProperty("nodesExpanded").GetInt32() > 0);

        var result = await client.CallOkAsync("tot_run_result", new { runId });
        Assert.True(result.GetProperty("solved").GetBoolean());
        var verification = Game24Verifier.Verify(Game24Puzzle.Parse("4 9 10 13"), result.Str("answer"));
        Assert.True(verification.IsValid, verification.Message);
        var path = result.GetProperty("bestPath").EnumerateArray().ToList();
        Assert.Equal(0, path[0].GetProperty("nodeId").GetInt32());
        Assert.Equal(1.0, path[^1].GetProperty("score").GetDouble());
        Assert.True(result.GetProperty("metrics").GetProperty("nodeCount").GetInt32() >= path.Count - 1);

        var trace = await client.CallOkAsync("tot_run_trace", new { runId });
        Assert.StartsWith("graph TD", trace.Str("mermaid"), StringComparison.Ordinal);
        Assert.Equal(result.GetProperty("metrics").GetProperty("nodeCount").GetInt32() + 1, trace.GetProperty("tree").GetProperty("nodes").GetArrayLength());

        var list = await client.CallOkAsync("tot_list_runs");
        Assert.Contains(list.GetProperty("runs").EnumerateArray(), r => r.Str("runId") == runId);
    }

    [Fact]
    public async Task Solve_returns_the_answer_and_ends_with_a_completed_progress_notification()
    {
        await using var client = await host.ConnectAsync("solver-" + Guid.NewGuid().ToString("N")[..6]);
        await using var progress = new ProgressRecorder(client);

        var result = await client.CallOkAsync("tot_solve",
            new { task = "1 1 11 11", domain = "game24", strategy = "dfs", pruneThreshold = 0.0, maxNodes = 2000, timeBudgetSeconds = 20 }, progress);

        Assert.Equal("completed", result.Str("state"));
        var seen = await progress.WaitForMessageAsync("completed", TimeSpan.FromSeconds(10));
        Assert.Equal(result.GetProperty("metrics").GetProperty("nodeCount").GetInt32(), (int)seen.Max(n => n.Progress));
        Assert.All(seen, n => Assert.Equal(2000, n.Total));
        Assert.All(seen, n => Assert.Contains("expanded", n.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_client_gets_the_same_not_found_as_for_an_unknown_run()
    {
        await using var owner = await host.ConnectAsync("owner-" + Guid.NewGuid().ToString("N")[..6]);
        await using var other = await host.ConnectAsync("other-" + Guid.NewGuid().ToString("N")[..6]);
        var runId = (await owner.CallOkAsync("tot_start_run", new { task = "4 9 10 13", domain = "game24" })).Str("runId");
        await owner.WaitForRunAsync(runId);

        var unknown = "run_" + Guid.NewGuid().ToString("N");
        foreach (var tool in new[] { "tot_run_status", "tot_run_result", "tot_run_trace", "tot_cancel_run" })
        {
            var foreign = await other.CallErrorAsync(tool, new { runId });
            var missing = await other.CallErrorAsync(tool, new { runId = unknown });
            Assert.Contains("was not found", foreign, StringComparison.Ordinal);
            Assert.Equal(missing.Replace(unknown, "ID", StringComparison.Ordinal), foreign.Replace(runId, "ID", StringComparison.Ordinal));
        }
        var list = await other.CallOkAsync("tot_list_runs");
        Assert.Equal(0, list.GetProperty("runs").GetArrayLength());
        Assert.Equal("completed", (await owner.CallOkAsync("tot_run_status", new { runId })).Str("state"));
    }

    [Fact]
    public async Task A_read_only_token_does_not_see_write_tools()
    {
        await using var reader = await host.ConnectAsync("reader-" + Guid.NewGuid().ToString("N")[..6], scope: "tot:read");
        var tools = (await reader.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name).ToHashSet();

        Assert.Subset(tools, new HashSet<string> { "tot_run_status", "tot_run_result", "tot_run_trace", "tot_list_runs", "tot_tree_best_path", "tot_tree_view" });
        Assert.Empty(tools.Intersect(["tot_start_run", "tot_solve", "tot_cancel_run", "tot_tree_create", "tot_tree_add_thoughts", "tot_tree_score", "tot_tree_next", "tot_tree_mark"]));
    }
}
