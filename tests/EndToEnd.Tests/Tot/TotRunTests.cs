using System.Diagnostics;
using Aspire.Hosting.ApplicationModel;
using EndToEnd.Tests.Infrastructure;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace EndToEnd.Tests.Tot;

/// <summary>
/// Tree-of-Thoughts runs through the whole app model: real KeyService tokens, two TotService instances on one Redis,
/// the real MCP client (sampling included).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TotRunTests(EndToEndAppModel model)
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Solve_streams_progress_and_returns_a_verified_game24_answer_then_start_status_result_works_on_either_instance()
    {
        var token = await model.GetTokenAsync(cancellationToken: Cancel);
        await using var instance0 = await model.ConnectAsync(token, 0, cancellationToken: Cancel);
        await using var instance1 = await model.ConnectAsync(token, 1, cancellationToken: Cancel);
        await using var progress = new ProgressRecorder(instance0);

        var solved = await instance0.CallOkAsync("tot_solve", new { task = "4 9 10 13", domain = "game24", strategy = "beam", breadth = 5 },
            progress);
        Assert.True(solved.GetProperty("solved").GetBoolean());
        TotToolCalls.AssertSolves24("4 9 10 13", solved.Str("answer"));
        // Progress notifications precede the response; the client dispatches them a moment later.
        await progress.WaitForMessageAsync("completed", TimeSpan.FromSeconds(20));

        var runId = (await instance0.CallOkAsync("tot_start_run", new { task = "1 5 5 5", domain = "game24", strategy = "dfs" })).Str("runId");
        var status = await WaitForEndAsync(instance1, runId);
        Assert.Equal("completed", status.Str("state"));
        var result = await instance1.CallOkAsync("tot_run_result", new { runId });
        TotToolCalls.AssertSolves24("1 5 5 5", result.Str("answer"));
        var trace = await instance0.CallOkAsync("tot_run_trace", new { runId });
        Assert.StartsWith("graph TD", trace.Str("mermaid"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cancel_on_instance_1_stops_a_run_executing_on_instance_0_within_a_second()
    {
        var token = await model.GetTokenAsync(cancellationToken: Cancel);
        // The run asks instance 0's session for thoughts (MCP sampling); each answer takes 100 ms, so it would go on for the full minute.
        await using var thinker = await model.ConnectAsync(token, 0, SlowModel(), Cancel);
        await using var canceller = await model.ConnectAsync(token, 1, cancellationToken: Cancel);
        var runId = (await thinker.CallOkAsync("tot_start_run",
            new { task = "Think forever", provider = "sampling", strategy = "best-first", maxDepth = 10, maxNodes = 2000, timeBudgetSeconds = 60 })).Str("runId");
        await Eventually.UntilAsync(
            async _ => (await canceller.CallOkAsync("tot_run_status", new { runId })).GetProperty("nodesExpanded").GetInt32() > 0,
            TimeSpan.FromSeconds(20), "the run to expand a node", TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);
        var running = await canceller.CallOkAsync("tot_run_status", new { runId });
        Assert.Equal("running", running.Str("state"));

        var clock = Stopwatch.StartNew();
        var cancel = await canceller.CallOkAsync("tot_cancel_run", new { runId });
        Assert.True(cancel.GetProperty("cancelRequested").GetBoolean());
        var status = await WaitForEndAsync(canceller, runId, pollMilliseconds: 25);
        clock.Stop();

        Assert.Equal("cancelled", status.Str("state"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"cancel took {clock.ElapsedMilliseconds} ms");
        TestContext.Current.TestOutputHelper?.WriteLine($"cross-instance cancel, request to cancelled state read back: {clock.ElapsedMilliseconds} ms");
        Assert.Equal("cancelled", (await thinker.CallOkAsync("tot_run_status", new { runId })).Str("state"));
        var partial = await canceller.CallOkAsync("tot_run_result", new { runId });
        Assert.Equal("cancelled", partial.Str("stopReason"));
    }

    [Fact]
    public async Task Another_client_cannot_see_or_cancel_the_run()
    {
        var ownerToken = await model.GetTokenAsync(cancellationToken: Cancel);
        var otherToken = await model.GetOtherTokenAsync(Cancel);
        await using var owner = await model.ConnectAsync(ownerToken, 0, cancellationToken: Cancel);
        await using var other = await model.ConnectAsync(otherToken, 1, cancellationToken: Cancel);
        var runId = (await owner.CallOkAsync("tot_start_run", new { task = "4 9 10 13", domain = "game24" })).Str("runId");
        await WaitForEndAsync(owner, runId);

        var unknown = "run_" + Guid.NewGuid().ToString("N");
        foreach (var tool in new[] { "tot_run_status", "tot_run_result", "tot_run_trace", "tot_cancel_run" })
        {
            var foreign = await other.CallErrorAsync(tool, new { runId });
            var missing = await other.CallErrorAsync(tool, new { runId = unknown });
            Assert.Equal(missing.Replace(unknown, "ID", StringComparison.Ordinal), foreign.Replace(runId, "ID", StringComparison.Ordinal));
        }
        Assert.DoesNotContain(runId, (await other.CallAsync("tot_list_runs")).Text(), StringComparison.Ordinal);
        Assert.Contains(runId, (await owner.CallAsync("tot_list_runs", new { limit = 100 })).Text(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_give_clear_tool_errors_not_http_failures()
    {
        var token = await model.GetTokenAsync(cancellationToken: Cancel);
        await using var client = await model.ConnectAsync(token, 1, cancellationToken: Cancel);

        Assert.Contains("breadth must be between 1 and 10 (got -3)",
            await client.CallErrorAsync("tot_start_run", new { task = "4 9 10 13", domain = "game24", breadth = -3 }), StringComparison.Ordinal);
        Assert.Contains("maxNodes must be between 1 and 2000",
            await client.CallErrorAsync("tot_start_run", new { task = "4 9 10 13", domain = "game24", maxNodes = 1_000_000 }), StringComparison.Ordinal);
        Assert.Contains("task must not be empty", await client.CallErrorAsync("tot_solve", new { task = "", domain = "game24" }), StringComparison.Ordinal);
        Assert.Contains("Unknown strategy", await client.CallErrorAsync("tot_start_run", new { task = "1 2 3 4", domain = "game24", strategy = "astar" }), StringComparison.Ordinal);
        Assert.Contains("Unknown domain", await client.CallErrorAsync("tot_start_run", new { task = "e4", domain = "chess" }), StringComparison.Ordinal);
        Assert.Contains("breadth must be a whole number", await client.CallErrorAsync("tot_start_run", new { task = "1 2 3 4", domain = "game24", breadth = "wide" }), StringComparison.Ordinal);
        Assert.Contains("was not found", await client.CallErrorAsync("tot_run_status", new { runId = "run_nope" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finished_runs_survive_a_totservice_restart_and_a_run_on_a_killed_instance_is_marked_failed()
    {
        var token = await model.GetTokenAsync(cancellationToken: Cancel);
        await using var reader = await model.ConnectAsync(token, 1, cancellationToken: Cancel);
        string finishedRunId, answer, orphanRunId;
        await using (var doomed = await model.ConnectAsync(token, 0, SlowModel(), Cancel))
        {
            finishedRunId = (await doomed.CallOkAsync("tot_start_run", new { task = "3 3 8 8", domain = "game24", strategy = "best-first" })).Str("runId");
            Assert.Equal("completed", (await WaitForEndAsync(doomed, finishedRunId)).Str("state"));
            answer = (await doomed.CallOkAsync("tot_run_result", new { runId = finishedRunId })).Str("answer");
            orphanRunId = (await doomed.CallOkAsync("tot_start_run",
                new { task = "Think forever", provider = "sampling", strategy = "best-first", maxDepth = 10, maxNodes = 2000, timeBudgetSeconds = 120 })).Str("runId");
            await Eventually.UntilAsync(
                async _ => (await reader.CallOkAsync("tot_run_status", new { runId = orphanRunId })).Str("state") == "running",
                TimeSpan.FromSeconds(20), "the run to be running", TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);

            // SIGKILL: no graceful shutdown, the lease is simply no longer renewed. The orchestrator reports the exit and
            // leaves the resource stopped until it is told to start it.
            var killed = await model.KillAsync(model.TotServices[0], TimeSpan.FromSeconds(30));
            await model.ExecuteCommandAsync(model.TotServices[0], KnownResourceCommands.StartCommand, Cancel);
            await model.WaitHealthyAsync(model.TotServices[0], TimeSpan.FromSeconds(90));
            Assert.NotEqual(killed.ServicePid, model.Process(model.TotServices[0]).ServicePid);
            try
            {
                await doomed.DisposeAsync();
            }
            catch (Exception ex) when (ex is HttpRequestException or McpException or IOException or OperationCanceledException)
            {
                // Its session died with the process.
            }
        }

        await using var fresh = await model.ConnectAsync(token, 0, cancellationToken: Cancel);
        Assert.Equal("completed", (await fresh.CallOkAsync("tot_run_status", new { runId = finishedRunId })).Str("state"));
        Assert.Equal(answer, (await fresh.CallOkAsync("tot_run_result", new { runId = finishedRunId })).Str("answer"));

        // Lease 10 s: within a few heartbeats after that, any reader marks the orphan failed.
        var clock = Stopwatch.StartNew();
        var orphan = await WaitForEndAsync(reader, orphanRunId, pollMilliseconds: 500, timeoutSeconds: 30);
        Assert.Equal("failed", orphan.Str("state"));
        Assert.Contains("lease expired", orphan.Str("error"), StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine($"orphan marked failed {clock.ElapsedMilliseconds} ms after the restart");
    }

    internal static Task<System.Text.Json.JsonElement> WaitForEndAsync(McpClient client, string runId, int pollMilliseconds = 100, int timeoutSeconds = 30) =>
        Eventually.UntilAsync(
            _ => client.CallOkAsync("tot_run_status", new { runId }), status => status.Str("state") is not ("queued" or "running"),
            TimeSpan.FromSeconds(timeoutSeconds), $"run {runId} to end", status => status.ToString(), TimeSpan.FromMilliseconds(pollMilliseconds));

    /// <summary>A client model that always has two new ideas, rates everything 5/10, and takes 100 ms per answer.</summary>
    private static McpClientOptions SlowModel()
    {
        var ideas = 0;
#pragma warning disable MCP9005 // sampling is deprecated by the 2026-07-28 revision, and is what is under test
        return new McpClientOptions
        {
            // A session: the run executes on its replica and asks this client's model on the session's stream.
            ProtocolVersion = "2025-11-25",
            Handlers = new McpClientHandlers
            {
                SamplingHandler = async (request, _, cancellationToken) =>
                {
                    await Task.Delay(100, cancellationToken);
                    var prompt = string.Concat(request!.Messages.SelectMany(m => m.Content).OfType<TextContentBlock>().Select(t => t.Text));
                    var reply = prompt.Contains("Propose", StringComparison.Ordinal)
                        ? $"1. idea {Interlocked.Increment(ref ideas)}\n2. idea {Interlocked.Increment(ref ideas)}"
                        : prompt.Contains("Judge", StringComparison.Ordinal) ? "Score: 5" : "no answer";
                    return new CreateMessageResult { Content = [new TextContentBlock { Text = reply }], Model = "slow-model", Role = Role.Assistant };
                },
            },
        };
#pragma warning restore MCP9005
    }
}
