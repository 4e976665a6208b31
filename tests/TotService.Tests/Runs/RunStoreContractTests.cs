using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using TotService.Engine.Providers;
using TotService.Engine.Search;
using TotService.Engine.Sessions;
using TotService.Runs;
using TotService.Storage;
using TotService.Trees;

namespace TotService.Tests.Runs;

/// <summary>The same behaviour from both stores: ownership index, leases, lost-run replacement, cancel flags, tree versions.</summary>
public abstract class RunStoreContractTests
{
    protected static readonly RunOptions Settings = new() { Ttl = TimeSpan.FromHours(1), LeaseDuration = TimeSpan.FromSeconds(10) };

    protected abstract IRunStore Runs { get; }

    protected abstract ITreeStore Trees { get; }

    protected abstract IModelTranscriptStore Transcripts { get; }

    [Fact]
    public async Task A_transcript_is_replaced_only_from_the_version_read_so_of_two_writers_one_wins()
    {
        var runId = RunIds.New();
        var first = new ModelTranscript { RunId = runId, Owner = "owner", Round = 0, Nonce = ModelRoundHandle.NewNonce(), UpdatedAt = DateTimeOffset.UtcNow };
        Assert.True(await Transcripts.TryReplaceAsync(null, first, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.False(await Transcripts.TryReplaceAsync(null, first, TimeSpan.FromMinutes(1), CancellationToken.None));

        var read = (await Transcripts.GetAsync(runId, CancellationToken.None))!;
        Assert.Equal(first.Nonce, read.Transcript.Nonce);
        var answered = read.Transcript with
        {
            Round = 1,
            Nonce = ModelRoundHandle.NewNonce(),
            Answers = new() { ["q1-0"] = new ModelAnswer("1. step", Truncated: false) },
            Pending = new() { ["q2-0"] = new ModelQuestion("system", [new ModelTurn("user", "Judge")], 300, 0.7f) },
        };
        Assert.True(await Transcripts.TryReplaceAsync(read, answered, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.False(await Transcripts.TryReplaceAsync(read, answered with { Round = 2 }, TimeSpan.FromMinutes(1), CancellationToken.None));

        var stored = (await Transcripts.GetAsync(runId, CancellationToken.None))!.Transcript;
        Assert.Equal(1, stored.Round);
        Assert.Equal("1. step", stored.Answers["q1-0"].Text);
        Assert.Equal("Judge", stored.Pending["q2-0"].Turns[0].Text);

        await Transcripts.DeleteAsync(runId, CancellationToken.None);
        Assert.Null(await Transcripts.GetAsync(runId, CancellationToken.None));
    }

    protected static RunRecord NewRun(string owner, DateTimeOffset created) => new()
    {
        Id = RunIds.New(), Owner = owner, State = RunState.Queued, Task = "4 9 10 13", Domain = "game24",
        Provider = ProviderKind.Domain, Settings = new SearchSettings { Strategy = SearchStrategy.DepthFirst, Breadth = 3 }, CreatedAt = created,
    };

    [Fact]
    public async Task Runs_round_trip_and_are_listed_per_owner_newest_first()
    {
        var owner = "owner-" + Guid.NewGuid().ToString("N")[..6];
        var older = NewRun(owner, DateTimeOffset.UtcNow.AddMinutes(-2));
        var newer = NewRun(owner, DateTimeOffset.UtcNow.AddMinutes(-1));
        var foreign = NewRun("someone-else-" + owner, DateTimeOffset.UtcNow);
        foreach (var run in new[] { older, newer, foreign })
        {
            await Runs.CreateAsync(run, "replica-a", CancellationToken.None);
        }
        var progressed = newer with { State = RunState.Running, NodesExpanded = 7, BestScore = 0.9 };
        await Runs.SaveAsync(progressed, CancellationToken.None);

        Assert.Equal(progressed, await Runs.GetAsync(newer.Id, CancellationToken.None));
        Assert.Equal([newer.Id, older.Id], (await Runs.ListAsync(owner, 10, CancellationToken.None)).Select(r => r.Id).ToArray());
        Assert.Equal([newer.Id], (await Runs.ListAsync(owner, 1, CancellationToken.None)).Select(r => r.Id).ToArray());
        Assert.Null(await Runs.GetAsync(RunIds.New(), CancellationToken.None));
    }

    [Fact]
    public async Task A_lost_run_is_replaced_only_without_a_lease_and_only_if_unchanged()
    {
        var run = NewRun("owner", DateTimeOffset.UtcNow) with { State = RunState.Running };
        await Runs.CreateAsync(run, "replica-a", CancellationToken.None);
        var failed = run with { State = RunState.Failed, Error = RunQueries.LeaseExpiredError };

        Assert.True(await Runs.HasLeaseAsync(run.Id, CancellationToken.None));
        Assert.False(await Runs.TryReplaceLostAsync(run, failed, CancellationToken.None));

        await Runs.ReleaseLeaseAsync(run.Id, CancellationToken.None);
        Assert.False(await Runs.HasLeaseAsync(run.Id, CancellationToken.None));
        Assert.False(await Runs.TryReplaceLostAsync(run with { NodesExpanded = 99 }, failed, CancellationToken.None));
        Assert.True(await Runs.TryReplaceLostAsync(run, failed, CancellationToken.None));
        Assert.Equal(RunState.Failed, (await Runs.GetAsync(run.Id, CancellationToken.None))!.State);

        await Runs.RenewLeasesAsync([run.Id], "replica-b", CancellationToken.None);
        Assert.True(await Runs.HasLeaseAsync(run.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Cancel_flags_and_results_are_kept_per_run()
    {
        var flagged = NewRun("owner", DateTimeOffset.UtcNow);
        var other = NewRun("owner", DateTimeOffset.UtcNow);
        await Runs.RequestCancelAsync(flagged.Id, CancellationToken.None);
        Assert.True(await Runs.TrySaveResultAsync(Result(other, """{"x":1}""", 0), CancellationToken.None));

        Assert.Equal([flagged.Id], await Runs.CancelRequestedAsync([flagged.Id, other.Id], CancellationToken.None));
        Assert.Empty(await Runs.CancelRequestedAsync([], CancellationToken.None));
        Assert.Equal("""{"x":1}""", await Runs.GetResultAsync(other.Id, CancellationToken.None));
        Assert.Null(await Runs.GetResultAsync(flagged.Id, CancellationToken.None));
    }

    protected static RunResultWrite Result(RunRecord run, string json, long expectedRevision, IReadOnlyCollection<string>? expired = null) =>
        new(run.Id, run.Owner, json, System.Text.Encoding.UTF8.GetByteCount(json), expectedRevision, expired ?? []);

    [Fact]
    public async Task Result_bytes_are_counted_per_owner_compare_and_set_and_freed_when_the_run_is_deleted()
    {
        var owner = "usage-owner-" + Guid.NewGuid().ToString("N")[..6];
        var first = NewRun(owner, DateTimeOffset.UtcNow);
        var second = NewRun(owner, DateTimeOffset.UtcNow);
        var foreign = NewRun("someone-else-" + owner, DateTimeOffset.UtcNow);
        foreach (var run in new[] { first, second, foreign })
        {
            await Runs.CreateAsync(run, "replica-a", CancellationToken.None);
        }
        Assert.Equal(0, (await Runs.GetResultUsageAsync(owner, CancellationToken.None)).Bytes);

        Assert.True(await Runs.TrySaveResultAsync(Result(first, new string('a', 1000), 0), CancellationToken.None));
        Assert.False(await Runs.TrySaveResultAsync(Result(second, new string('b', 500), 0), CancellationToken.None)); // revision moved on
        Assert.Null(await Runs.GetResultAsync(second.Id, CancellationToken.None));
        var usage = await Runs.GetResultUsageAsync(owner, CancellationToken.None);
        Assert.Equal(1000, usage.Bytes);
        Assert.True(await Runs.TrySaveResultAsync(Result(second, new string('é', 250), usage.Revision), CancellationToken.None));
        Assert.True(await Runs.TrySaveResultAsync(Result(foreign, "{}", 0), CancellationToken.None));

        usage = await Runs.GetResultUsageAsync(owner, CancellationToken.None);
        Assert.Equal(new Dictionary<string, long> { [first.Id] = 1000, [second.Id] = 500 }, usage.Runs);
        await Runs.DeleteAsync(first, CancellationToken.None);
        Assert.Equal(500, (await Runs.GetResultUsageAsync(owner, CancellationToken.None)).Bytes);
        await Runs.DeleteAsync(second, CancellationToken.None);
        Assert.Equal(0, (await Runs.GetResultUsageAsync(owner, CancellationToken.None)).Bytes);
        Assert.Equal(2, (await Runs.GetResultUsageAsync(foreign.Owner, CancellationToken.None)).Bytes);
    }

    [Fact]
    public async Task Tree_writes_are_compare_and_set_on_the_version_and_the_owners_revision()
    {
        var owner = "tree-owner-" + Guid.NewGuid().ToString("N")[..6];
        var session = ThoughtTreeSession.Create(new ThoughtProblem("t"), new SearchSettings());
        var header = TreeEncoding.EncodeHeader(session.ToState(), DateTimeOffset.UtcNow);
        var root = TreeEncoding.EncodeNode(session.Snapshot().Nodes[0], "t");
        var treeId = TreeIds.New();
        var create = new TreeWrite(treeId, owner, 0, 0, DateTimeOffset.UtcNow, header, new Dictionary<int, byte[]> { [0] = root }, header.Length + root.Length, []);
        Assert.True(await Trees.TryWriteAsync(create, CancellationToken.None));
        Assert.False(await Trees.TryWriteAsync(create, CancellationToken.None));

        var added = session.AddThoughts(0, ["a"]);
        var expanded = TreeEncoding.EncodeNode(session.Snapshot().Nodes[0], "t");
        var child = TreeEncoding.EncodeNode(added[0], "t");
        var usage = await Trees.GetUsageAsync(owner, CancellationToken.None);
        Assert.Equal(create.TreeBytes, usage.Trees[treeId]);
        var update = new TreeWrite(treeId, owner, 1, usage.Revision, DateTimeOffset.UtcNow, null, new Dictionary<int, byte[]> { [0] = expanded, [1] = child }, header.Length + expanded.Length + child.Length, []);

        Assert.True(await Trees.TryWriteAsync(update, CancellationToken.None));
        Assert.False(await Trees.TryWriteAsync(update, CancellationToken.None));
        Assert.False(await Trees.TryWriteAsync(update with { ExpectedVersion = 2 }, CancellationToken.None)); // the owner's revision moved on
        var stored = await Trees.GetAsync(treeId, CancellationToken.None);
        Assert.Equal(2, stored!.Version);
        Assert.Equal(owner, stored.Owner);
        Assert.Equal([expanded, child], stored.Nodes);
        Assert.Equal(update.TreeBytes, stored.Bytes);
        var (state, _) = TreeEncoding.Decode(stored);
        Assert.Equal(session.Snapshot().Nodes, state.Tree.Nodes);
        Assert.Equal(update.TreeBytes, (await Trees.GetUsageAsync(owner, CancellationToken.None)).Bytes);
        Assert.Null(await Trees.GetAsync(TreeIds.New(), CancellationToken.None));
    }
}

public sealed class InMemoryRunStoreTests : RunStoreContractTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    public InMemoryRunStoreTests()
    {
        Runs = new InMemoryRunStore(Options.Create(Settings), _time);
        Trees = new InMemoryTreeStore(Options.Create(Settings), _time);
        Transcripts = new InMemoryModelTranscriptStore(_time);
    }

    protected override IRunStore Runs { get; }

    protected override ITreeStore Trees { get; }

    protected override IModelTranscriptStore Transcripts { get; }

    [Fact]
    public async Task A_run_waiting_for_its_client_is_marked_failed_once_its_round_expired()
    {
        var run = NewRun("owner", _time.GetUtcNow()) with { State = RunState.Waiting };
        await Runs.CreateAsync(run, "replica-a", CancellationToken.None);
        await Runs.ReleaseLeaseAsync(run.Id, CancellationToken.None);
        var round = TimeSpan.FromSeconds(30);
        var transcript = new ModelTranscript { RunId = run.Id, Owner = "owner", Round = 1, Nonce = ModelRoundHandle.NewNonce(), UpdatedAt = _time.GetUtcNow() };
        Assert.True(await Transcripts.TryReplaceAsync(null, transcript, round, CancellationToken.None));
        using var meters = new TotService.Tests.Engine.Support.TestMeterFactory();
        var queries = new RunQueries(Runs, Transcripts, new LocalRuns(), new RunMetrics(meters), Options.Create(new RunOptions { SamplingTimeout = round }), _time);

        _time.Advance(round - TimeSpan.FromSeconds(1));
        Assert.Equal(RunState.Waiting, (await queries.GetOwnedAsync(run.Id, "owner", CancellationToken.None)).State);
        _time.Advance(TimeSpan.FromSeconds(2));
        var silent = await queries.GetOwnedAsync(run.Id, "owner", CancellationToken.None);

        Assert.Equal(RunState.Failed, silent.State);
        Assert.Equal(RunQueries.ClientSilentError, silent.Error);
    }

    [Fact]
    public async Task Leases_lapse_and_entries_expire_with_time()
    {
        var run = NewRun("owner", _time.GetUtcNow());
        await Runs.CreateAsync(run, "replica-a", CancellationToken.None);

        _time.Advance(Settings.LeaseDuration + TimeSpan.FromMilliseconds(1));
        Assert.False(await Runs.HasLeaseAsync(run.Id, CancellationToken.None));
        Assert.NotNull(await Runs.GetAsync(run.Id, CancellationToken.None));

        _time.Advance(Settings.Ttl);
        Assert.Null(await Runs.GetAsync(run.Id, CancellationToken.None));
        Assert.Empty(await Runs.ListAsync("owner", 10, CancellationToken.None));
    }

    [Fact]
    public async Task Result_bytes_stop_counting_when_the_result_expires_and_the_next_write_drops_them()
    {
        var expiring = NewRun("expiring-owner", _time.GetUtcNow());
        Assert.True(await Runs.TrySaveResultAsync(Result(expiring, new string('x', 700), 0), CancellationToken.None));
        _time.Advance(Settings.Ttl / 2);
        var later = NewRun("expiring-owner", _time.GetUtcNow());
        var usage = await Runs.GetResultUsageAsync("expiring-owner", CancellationToken.None);
        Assert.True(await Runs.TrySaveResultAsync(Result(later, new string('y', 300), usage.Revision), CancellationToken.None));
        Assert.Equal(1000, (await Runs.GetResultUsageAsync("expiring-owner", CancellationToken.None)).Bytes);

        _time.Advance(Settings.Ttl / 2 + TimeSpan.FromSeconds(1));
        usage = await Runs.GetResultUsageAsync("expiring-owner", CancellationToken.None);
        Assert.Equal(300, usage.Bytes);
        Assert.Equal([expiring.Id], usage.ExpiredRuns);
        Assert.Null(await Runs.GetResultAsync(expiring.Id, CancellationToken.None));

        _time.Advance(Settings.Ttl / 2);
        usage = await Runs.GetResultUsageAsync("expiring-owner", CancellationToken.None);
        Assert.Equal(0, usage.Bytes);
        Assert.Equal(2, usage.ExpiredRuns.Count);
    }

    [Fact]
    public async Task A_reader_marks_a_run_failed_once_its_lease_has_lapsed()
    {
        var run = NewRun("owner", _time.GetUtcNow()) with { State = RunState.Running };
        await Runs.CreateAsync(run, "replica-a", CancellationToken.None);
        using var meters = new TotService.Tests.Engine.Support.TestMeterFactory();
        var queries = new RunQueries(Runs, Transcripts, new LocalRuns(), new RunMetrics(meters), Options.Create(Settings), _time);

        Assert.Equal(RunState.Running, (await queries.GetOwnedAsync(run.Id, "owner", CancellationToken.None)).State);
        _time.Advance(Settings.LeaseDuration + TimeSpan.FromSeconds(1));
        var lost = await queries.GetOwnedAsync(run.Id, "owner", CancellationToken.None);

        Assert.Equal(RunState.Failed, lost.State);
        Assert.Equal(RunQueries.LeaseExpiredError, lost.Error);
        Assert.Equal(_time.GetUtcNow(), lost.FinishedAt);
    }
}

public sealed class RedisRunStoreTests : RunStoreContractTests, IClassFixture<RedisServer>
{
    private readonly RedisServer _redis;

    public RedisRunStoreTests(RedisServer redis)
    {
        _redis = redis;
        Runs = new RedisRunStore(redis.Connection, Options.Create(Settings), TimeProvider.System);
        Trees = new RedisTreeStore(redis.Connection, Options.Create(Settings), TimeProvider.System);
        Transcripts = new RedisModelTranscriptStore(redis.Connection);
    }

    protected override IRunStore Runs { get; }

    protected override ITreeStore Trees { get; }

    protected override IModelTranscriptStore Transcripts { get; }

    [Fact]
    public async Task Every_key_is_prefixed_tot_and_carries_a_ttl()
    {
        var run = NewRun("ttl-owner-" + Guid.NewGuid().ToString("N")[..6], DateTimeOffset.UtcNow);
        await Runs.CreateAsync(run, "replica-a", CancellationToken.None);
        Assert.True(await Runs.TrySaveResultAsync(Result(run, "{}", 0), CancellationToken.None));
        await Runs.RequestCancelAsync(run.Id, CancellationToken.None);
        var db = _redis.Connection.GetDatabase();

        foreach (var key in new[] { StorageKeys.Run(run.Id), StorageKeys.RunResult(run.Id), StorageKeys.RunCancel(run.Id), StorageKeys.OwnerRuns(run.Owner), StorageKeys.OwnerRunUsage(run.Owner) })
        {
            Assert.StartsWith("tot:", key, StringComparison.Ordinal);
            var ttl = await db.KeyTimeToLiveAsync(key);
            Assert.True(ttl > TimeSpan.FromMinutes(59) && ttl <= Settings.Ttl, $"{key}: {ttl}");
        }
        var lease = await db.KeyTimeToLiveAsync(StorageKeys.RunLease(run.Id));
        Assert.True(lease > TimeSpan.Zero && lease <= Settings.LeaseDuration, $"lease: {lease}");
        Assert.Equal("replica-a", (string?)await db.StringGetAsync(StorageKeys.RunLease(run.Id)));
    }
}
