using ModelContextProtocol;
using Microsoft.Extensions.DependencyInjection;
using TotService.Runs;
using TotService.Storage;
using TotService.Tests.Infrastructure;

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
        await Eventually.UntilAsync(() => running.LatestProgress is not null, TestSettings.Timeout, "the run's first progress", cancellationToken: TestContext.Current.CancellationToken);

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

    [Fact]
    public async Task A_run_reads_as_finished_only_once_its_result_can_be_read()
    {
        // The result is written slowly, so a status read answered from memory before the write would see it missing.
        await using var replica = await RunReplica.StartAsync(redis: null, configure: services =>
            services.AddSingleton<IRunStore>(provider => new SlowResultStore(ActivatorUtilities.CreateInstance<InMemoryRunStore>(provider))));
        var store = replica.Services.GetRequiredService<IRunStore>();
        var run = await replica.StartSlowRunAsync("owner", timeBudget: TimeSpan.FromMilliseconds(100));

        var status = await Eventually.UntilAsync(
            cancellation => replica.Queries.GetOwnedAsync(run.Id, "owner", cancellation), read => !read.State.IsLive(),
            TestSettings.Timeout, "the run to end", read => read.State.ToString(), interval: TimeSpan.FromMilliseconds(5), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(RunState.Completed, status.State);
        Assert.NotNull(await store.GetResultAsync(run.Id, CancellationToken.None));
    }

    private sealed class SlowResultStore(IRunStore inner) : IRunStore
    {
        public Task CreateAsync(RunRecord run, string replica, CancellationToken cancellationToken) => inner.CreateAsync(run, replica, cancellationToken);

        public Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken) => inner.GetAsync(runId, cancellationToken);

        public Task SaveAsync(RunRecord run, CancellationToken cancellationToken) => inner.SaveAsync(run, cancellationToken);

        public Task<bool> TryReplaceLostAsync(RunRecord expected, RunRecord replacement, CancellationToken cancellationToken, string? leaseHolder = null) =>
            inner.TryReplaceLostAsync(expected, replacement, cancellationToken, leaseHolder);

        public async Task<bool> TrySaveResultAsync(RunResultWrite write, CancellationToken cancellationToken)
        {
            await Task.Delay(300, cancellationToken);
            return await inner.TrySaveResultAsync(write, cancellationToken);
        }

        public Task<ClientRunUsage> GetResultUsageAsync(string owner, CancellationToken cancellationToken) => inner.GetResultUsageAsync(owner, cancellationToken);

        public Task<string?> GetResultAsync(string runId, CancellationToken cancellationToken) => inner.GetResultAsync(runId, cancellationToken);

        public Task<IReadOnlyList<RunRecord>> ListAsync(string owner, int limit, CancellationToken cancellationToken) => inner.ListAsync(owner, limit, cancellationToken);

        public Task RenewLeasesAsync(IReadOnlyCollection<string> runIds, string replica, CancellationToken cancellationToken) =>
            inner.RenewLeasesAsync(runIds, replica, cancellationToken);

        public Task<bool> HasLeaseAsync(string runId, CancellationToken cancellationToken) => inner.HasLeaseAsync(runId, cancellationToken);

        public Task ReleaseLeaseAsync(string runId, CancellationToken cancellationToken) => inner.ReleaseLeaseAsync(runId, cancellationToken);

        public Task DeleteAsync(RunRecord run, CancellationToken cancellationToken) => inner.DeleteAsync(run, cancellationToken);

        public Task RequestCancelAsync(string runId, CancellationToken cancellationToken) => inner.RequestCancelAsync(runId, cancellationToken);

        public Task<IReadOnlyList<string>> CancelRequestedAsync(IReadOnlyCollection<string> runIds, CancellationToken cancellationToken) =>
            inner.CancelRequestedAsync(runIds, cancellationToken);
    }
}
