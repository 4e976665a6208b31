using ModelContextProtocol;
using TotService.Runs;

namespace TotService.Tests.Runs;

/// <summary>One replica without Redis (in-memory stores): bounded concurrency, queueing and cancelling queued runs.</summary>
public sealed class RunExecutorTests
{
    private static readonly Dictionary<string, string?> OneSlot = new()
    {
        ["TotService:Runs:MaxConcurrent"] = "1",
        ["TotService:Runs:MaxQueued"] = "1",
        ["TotService:Runs:MaxConcurrentPerClient"] = "5",
    };

    [Fact]
    public async Task Runs_beyond_the_global_limit_queue_a_full_queue_refuses_and_a_queued_run_cancels_at_once()
    {
        await using var replica = await RunReplica.StartAsync(redis: null, OneSlot);
        var running = await replica.StartSlowRunAsync("a");
        var queued = await replica.StartSlowRunAsync("b");
        await WaitUntilAsync(() => running.LatestProgress is not null);

        Assert.Equal(RunState.Running, (await replica.Queries.GetOwnedAsync(running.Id, "a", CancellationToken.None)).State);
        Assert.Equal(RunState.Queued, (await replica.Queries.GetOwnedAsync(queued.Id, "b", CancellationToken.None)).State);
        var busy = await Assert.ThrowsAsync<McpException>(() => replica.StartSlowRunAsync("c"));
        Assert.Contains("server is busy", busy.Message, StringComparison.Ordinal);

        await replica.Commands.CancelAsync(queued.Id, "b", CancellationToken.None);
        var cancelled = await queued.Completion.WaitAsync(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
        Assert.Equal(RunState.Cancelled, cancelled.State);
        Assert.Null(cancelled.StartedAt);
        Assert.Equal(RunState.Running, (await replica.Queries.GetOwnedAsync(running.Id, "a", CancellationToken.None)).State);

        await replica.Commands.CancelAsync(running.Id, "a", CancellationToken.None);
        Assert.Equal(RunState.Cancelled, (await running.Completion.WaitAsync(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken)).State);
        var next = await replica.StartSlowRunAsync("c", timeBudget: TimeSpan.FromMilliseconds(300));
        var finished = await next.Completion.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(RunState.Completed, finished.State);
        Assert.Equal(TotService.Engine.Search.StopReason.TimeBudget, finished.StopReason);
    }

    [Fact]
    public async Task Cancelling_a_finished_run_leaves_it_unchanged()
    {
        await using var replica = await RunReplica.StartAsync(redis: null);
        var run = await replica.StartSlowRunAsync("owner", timeBudget: TimeSpan.FromMilliseconds(100));
        var finished = await run.Completion.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        var after = await replica.Commands.CancelAsync(run.Id, "owner", CancellationToken.None);

        Assert.Equal(finished.State, after.State);
        Assert.Equal(RunState.Completed, after.State);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
