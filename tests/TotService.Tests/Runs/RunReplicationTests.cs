using System.Diagnostics;
using ModelContextProtocol;
using TotService.Runs;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Runs;

/// <summary>Two replicas' run machinery on one real Redis-protocol server: cancel, leases, progress and limits across replicas.</summary>
public sealed class RunReplicationTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private static readonly Dictionary<string, string?> FastLeases = new()
    {
        ["TotService:Runs:HeartbeatInterval"] = "00:00:00.200",
        ["TotService:Runs:LeaseDuration"] = "00:00:01",
        ["TotService:Runs:CancelPollInterval"] = "00:00:00.100",
    };

    private static string Owner() => "client-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task A_cancel_issued_on_another_replica_stops_the_run_within_a_second()
    {
        await using var executing = await RunReplica.StartAsync(redis.Connection);
        await using var other = await RunReplica.StartAsync(redis.Connection);
        var owner = Owner();
        var run = await executing.StartSlowRunAsync(owner);
        await Eventually.UntilAsync(() => run.LatestProgress is { NodesExpanded: > 2 }, TestSettings.Timeout, "the run to expand three nodes", cancellationToken: TestContext.Current.CancellationToken);

        var clock = Stopwatch.StartNew();
        var seen = await other.Commands.CancelAsync(run.Id, owner, CancellationToken.None);
        var requested = clock.ElapsedMilliseconds;
        var final = await run.Completion.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        clock.Stop();

        Assert.Equal(RunState.Running, seen.State);
        Assert.Equal(RunState.Cancelled, final.State);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"cancel took {clock.ElapsedMilliseconds} ms");
        TestContext.Current.TestOutputHelper?.WriteLine($"cross-replica cancel latency: {clock.ElapsedMilliseconds} ms (cancel call {requested} ms)");
        var readBack = await other.Queries.GetOwnedAsync(run.Id, owner, CancellationToken.None);
        Assert.Equal(RunState.Cancelled, readBack.State);
        Assert.True(readBack.NodesExpanded > 2);
    }

    [Fact]
    public async Task A_missed_cancel_message_is_caught_by_polling_the_cancel_flag()
    {
        await using var executing = await RunReplica.StartAsync(redis.Connection, FastLeases);
        var owner = Owner();
        var run = await executing.StartSlowRunAsync(owner);
        await Eventually.UntilAsync(() => run.LatestProgress is not null, TestSettings.Timeout, "the run's first progress", cancellationToken: TestContext.Current.CancellationToken);

        // The flag alone, as if the pub/sub message had been lost.
        var store = executing.Services.GetService(typeof(TotService.Runs.IRunStore)) as TotService.Runs.IRunStore;
        var clock = Stopwatch.StartNew();
        await store!.RequestCancelAsync(run.Id, CancellationToken.None);
        var final = await run.Completion.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(RunState.Cancelled, final.State);
        // Without the poll the run goes on for its 60 s budget. The poll itself comes every 100 ms; the rest is the run
        // unwinding and saving its end, which took 1.07 s once on two cores saturated by the other test lane.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"poll cancel took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Another_replica_reads_live_progress_while_heartbeats_keep_the_lease()
    {
        await using var executing = await RunReplica.StartAsync(redis.Connection, FastLeases);
        await using var reader = await RunReplica.StartAsync(redis.Connection, FastLeases);
        var owner = Owner();
        var run = await executing.StartSlowRunAsync(owner);

        await Task.Delay(TimeSpan.FromSeconds(1.6), TestContext.Current.CancellationToken); // longer than the 1 s lease
        var status = await reader.Queries.GetOwnedAsync(run.Id, owner, CancellationToken.None);

        Assert.Equal(RunState.Running, status.State);
        Assert.True(status.NodesExpanded > 0, "progress is saved by the heartbeat");
        await executing.Commands.CancelAsync(run.Id, owner, CancellationToken.None);
        await run.Completion.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_run_whose_replica_stopped_heartbeating_is_marked_failed_by_the_next_reader()
    {
        await using var reader = await RunReplica.StartAsync(redis.Connection, FastLeases);
        var store = (TotService.Runs.IRunStore)reader.Services.GetService(typeof(TotService.Runs.IRunStore))!;
        var owner = Owner();
        // A run "executing" on a replica that died: its lease is never renewed.
        var orphan = new RunRecord
        {
            Id = RunIds.New(), Owner = owner, State = RunState.Running, Task = "t", Domain = "general",
            Provider = TotService.Engine.Providers.ProviderKind.Endpoint, Settings = new TotService.Engine.Search.SearchSettings(),
            CreatedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow, Replica = "dead-replica",
        };
        await store.CreateAsync(orphan, "dead-replica", CancellationToken.None);

        Assert.Equal(RunState.Running, (await reader.Queries.GetOwnedAsync(orphan.Id, owner, CancellationToken.None)).State);
        // The first read after the 1 s lease has run out finds it gone and marks the run failed.
        var lost = await Eventually.UntilAsync(
            cancellation => reader.Queries.GetOwnedAsync(orphan.Id, owner, cancellation), read => read.State != RunState.Running,
            TestSettings.Timeout, "the orphan's lease to run out", read => read.State.ToString(), interval: TimeSpan.FromMilliseconds(100), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(RunState.Failed, lost.State);
        Assert.Equal(RunQueries.LeaseExpiredError, lost.Error);
        Assert.Equal(RunState.Failed, (await store.GetAsync(orphan.Id, CancellationToken.None))!.State);
        Assert.Contains(await reader.Queries.ListOwnedAsync(owner, 10, CancellationToken.None), r => r.Id == orphan.Id && r.State == RunState.Failed);
    }

    [Fact]
    public async Task A_run_on_the_domain_solver_whose_replica_went_away_is_taken_over_and_completed_by_the_next_reader()
    {
        await using var reader = await RunReplica.StartAsync(redis.Connection, FastLeases);
        var store = (TotService.Runs.IRunStore)reader.Services.GetService(typeof(TotService.Runs.IRunStore))!;
        var owner = Owner();
        var orphan = new RunRecord
        {
            Id = RunIds.New(), Owner = owner, State = RunState.Running, Task = "4 9 10 13", Domain = "game24",
            Provider = TotService.Engine.Providers.ProviderKind.Domain, Settings = new TotService.Engine.Search.SearchSettings(),
            CreatedAt = DateTimeOffset.UtcNow, StartedAt = DateTimeOffset.UtcNow, Replica = "dead-replica", NodesExpanded = 3,
        };
        await store.CreateAsync(orphan, "dead-replica", CancellationToken.None);

        // Once the 1 s lease has run out, the next read restarts the search on the reader's replica under the same id.
        var adopted = await Eventually.UntilAsync(
            cancellation => reader.Queries.GetOwnedAsync(orphan.Id, owner, cancellation), read => read.Replica != "dead-replica",
            TestSettings.Timeout, "the orphan to be taken over", read => $"{read.State} on {read.Replica}", interval: TimeSpan.FromMilliseconds(100),
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.NotEqual(RunState.Failed, adopted.State);
        var done = await Eventually.UntilAsync(
            cancellation => reader.Queries.GetOwnedAsync(orphan.Id, owner, cancellation), read => !read.State.IsLive(),
            TestSettings.Timeout, "the restarted run to finish", read => read.State.ToString(), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(RunState.Completed, done.State);
        Assert.True(done.Solved);
        Assert.NotNull(await store.GetResultAsync(orphan.Id, CancellationToken.None));
    }

    [Fact]
    public async Task The_per_client_limit_holds_across_replicas()
    {
        var limit = new Dictionary<string, string?> { ["TotService:Runs:MaxConcurrentPerClient"] = "1" };
        await using var first = await RunReplica.StartAsync(redis.Connection, limit);
        await using var second = await RunReplica.StartAsync(redis.Connection, limit);
        var owner = Owner();
        var run = await first.StartSlowRunAsync(owner);

        var refused = await Assert.ThrowsAsync<McpException>(() => second.StartSlowRunAsync(owner));
        Assert.Contains("the limit is 1 per client", refused.Message, StringComparison.Ordinal);
        var someoneElse = await second.StartSlowRunAsync(Owner());

        foreach (var (replica, held, who) in new[] { (first, run, owner), (second, someoneElse, someoneElse.Record.Owner) })
        {
            await replica.Commands.CancelAsync(held.Id, who, CancellationToken.None);
            await held.Completion.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_replica_that_shuts_down_marks_its_runs_failed_instead_of_leaving_them_running()
    {
        var owner = Owner();
        LocalRun run;
        await using (var executing = await RunReplica.StartAsync(redis.Connection))
        {
            run = await executing.StartSlowRunAsync(owner);
            await Eventually.UntilAsync(() => run.LatestProgress is not null, TestSettings.Timeout, "the run's first progress", cancellationToken: TestContext.Current.CancellationToken);
        }
        await using var reader = await RunReplica.StartAsync(redis.Connection);

        var status = await reader.Queries.GetOwnedAsync(run.Id, owner, CancellationToken.None);
        Assert.Equal(RunState.Failed, status.State);
        Assert.Equal(RunExecutor.ShutdownError, status.Error);
    }
}
