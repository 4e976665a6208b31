using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using TotService.Engine.Providers;
using TotService.Engine.Search;
using TotService.Runs;

namespace TotService.Tests.Runs;

/// <summary>
/// A client's stored run results are bounded in bytes (<c>MaxStoredRunBytesPerClient</c>), not only in count: storing a
/// result deletes the client's oldest finished runs to make room, and a result that cannot fit beside the client's
/// other runs is clipped to the room or refused with the setting's name.
/// </summary>
public sealed class RunByteLimitTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private const long Limit = 128 * 1024;

    private static readonly Dictionary<string, string?> SmallBudget = new()
    {
        ["TotService:Runs:MaxResultBytes"] = $"{64 * 1024}",
        ["TotService:Runs:MaxStoredRunBytesPerClient"] = $"{Limit}",
    };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_clients_stored_results_stay_within_the_byte_limit_and_the_count_returns_to_zero_when_they_are_deleted(bool useRedis)
    {
        await using var replica = await RunReplica.StartAsync(useRedis ? redis.Connection : null, SmallBudget);
        var store = replica.Services.GetRequiredService<IRunStore>();
        var owner = "bytes-" + Guid.NewGuid().ToString("N")[..8];
        using var recorded = new ClientBytesListener(replica.Services.GetRequiredService<IMeterFactory>());
        var ids = new List<string>();
        long sent = 0;

        for (var i = 0; i < 8; i++)
        {
            var run = await replica.Commands.StartAsync(owner, BigResults(), Ct);
            var finished = await run.Completion.WaitAsync(TimeSpan.FromSeconds(20), Ct);
            Assert.Equal(RunState.Completed, finished.State);
            Assert.False(finished.ResultTrimmed);
            ids.Add(run.Id);
            sent += Encoding.UTF8.GetByteCount((await store.GetResultAsync(run.Id, Ct))!);

            var usage = await store.GetResultUsageAsync(owner, Ct);
            long stored = 0;
            foreach (var kept in await store.ListAsync(owner, 100, Ct))
            {
                stored += await store.GetResultAsync(kept.Id, Ct) is { } json ? Encoding.UTF8.GetByteCount(json) : 0;
            }
            Assert.InRange(usage.Bytes, 1, Limit);
            Assert.Equal(stored, usage.Bytes);
            Assert.Equal(usage.Bytes, recorded.Last);
        }

        Assert.True(sent > 2 * Limit, $"the runs stored only {sent} B in all, which fits twice in {Limit} B: the test would not need the limit");
        Assert.Null(await store.GetAsync(ids[0], Ct)); // the oldest made room, long before the count limit (50)
        Assert.Null(await store.GetResultAsync(ids[0], Ct));
        Assert.NotNull(await store.GetResultAsync(ids[^1], Ct));
        Assert.All(recorded.Values, v => Assert.InRange(v, 1, Limit));

        foreach (var kept in await store.ListAsync(owner, 100, Ct))
        {
            await store.DeleteAsync(kept, Ct);
        }
        Assert.Equal(0, (await store.GetResultUsageAsync(owner, Ct)).Bytes);
    }

    [Fact]
    public async Task A_result_without_room_beside_a_live_runs_result_is_clipped_to_the_room_or_refused_naming_the_setting()
    {
        await using var replica = await RunReplica.StartAsync(redis.Connection, SmallBudget);
        var store = replica.Services.GetRequiredService<IRunStore>();
        var owner = "crowded-" + Guid.NewGuid().ToString("N")[..8];
        // A live run of the same client that has just stored a large result (as if it finished on another replica): not evictable.
        var holder = await replica.StartSlowRunAsync(owner);
        await HoldAsync(store, holder, Limit - 20 * 1024);

        var clipped = await (await replica.Commands.StartAsync(owner, BigResults(), Ct)).Completion.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Equal(RunState.Completed, clipped.State);
        Assert.True(clipped.ResultTrimmed);
        Assert.Null(clipped.Error);
        var clippedBytes = Encoding.UTF8.GetByteCount((await store.GetResultAsync(clipped.Id, Ct))!);
        Assert.InRange(clippedBytes, 1, 20 * 1024);
        Assert.Equal(Limit - 20 * 1024 + clippedBytes, (await store.GetResultUsageAsync(owner, Ct)).Bytes);

        await HoldAsync(store, holder, Limit - 100);
        var refused = await (await replica.Commands.StartAsync(owner, BigResults(), Ct)).Completion.WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.Contains("TotService:Runs:MaxStoredRunBytesPerClient", refused.Error, StringComparison.Ordinal);
        Assert.Null(await store.GetResultAsync(refused.Id, Ct));
        Assert.Null(await store.GetAsync(clipped.Id, Ct)); // the finished run was evicted first, and still the room was too small
        Assert.Equal(Limit - 100, (await store.GetResultUsageAsync(owner, Ct)).Bytes);

        await replica.Commands.CancelAsync(holder.Id, owner, Ct);
        await holder.Completion.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public void A_byte_budget_smaller_than_one_result_is_refused_at_start_naming_both_settings()
    {
        var validator = new RunOptionsValidator();
        var failure = validator.Validate(null, new RunOptions { MaxResultBytes = 2 * 1024 * 1024, MaxStoredRunBytesPerClient = 1024 * 1024 });

        Assert.True(failure.Failed);
        Assert.Contains("TotService:Runs:MaxStoredRunBytesPerClient (1048576) must be at least TotService:Runs:MaxResultBytes (2097152)", failure.FailureMessage, StringComparison.Ordinal);
        Assert.True(validator.Validate(null, new RunOptions()).Succeeded);
    }

    private static async Task HoldAsync(IRunStore store, LocalRun holder, long bytes)
    {
        var usage = await store.GetResultUsageAsync(holder.Owner, Ct);
        Assert.True(await store.TrySaveResultAsync(new RunResultWrite(holder.Id, holder.Owner, "{}", bytes, usage.Revision, []), Ct));
    }

    /// <summary>A quick search whose trace holds 30-45 KB: 14 nodes of 2,000-character thoughts, the best path again.</summary>
    private static RunRequest BigResults()
    {
        var settings = new SearchSettings { Strategy = SearchStrategy.BestFirst, MaxDepth = 10, MaxNodes = 14, MaxFrontier = 100, TimeBudget = TimeSpan.FromSeconds(30) };
        var providers = new ThoughtProviders("big", new BigGenerator(), new HalfEvaluator(), new LastThoughtFinalizer());
        return new RunRequest(new ThoughtProblem("think at length"), "general", settings, ProviderKind.Endpoint, providers);
    }

    private sealed class BigGenerator : IThoughtGenerator
    {
        public string InitialState(ThoughtProblem problem) => "start";

        public Task<IReadOnlyList<ThoughtCandidate>> ProposeAsync(
            ThoughtProblem problem, IReadOnlyList<TotService.Engine.Tree.ThoughtNode> path, int count, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ThoughtCandidate>>(
                [.. Enumerable.Range(0, 2).Select(_ => new ThoughtCandidate(new string('t', 2000) + Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N")))]);
    }


    /// <summary>What this replica's meter recorded as <c>totmcp.tot.client.run_bytes</c> (other tests' replicas have their own meter factories).</summary>
    private sealed class ClientBytesListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<long> _values = [];

        public ClientBytesListener(IMeterFactory factory)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "totmcp.tot.client.run_bytes")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
            {
                lock (_values)
                {
                    _values.Add(value);
                }
            });
            _listener.Start();
        }

        public IReadOnlyList<long> Values
        {
            get
            {
                lock (_values)
                {
                    return [.. _values];
                }
            }
        }

        public long Last => Values.Count > 0 ? Values[^1] : -1;

        public void Dispose() => _listener.Dispose();
    }
}
