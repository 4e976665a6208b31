using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.Testing;
using AppModelTesting;
using Resilience.Tests.Infrastructure;
using StackExchange.Redis;

namespace Resilience.Tests;

/// <summary>
/// Bounded amplification, measured: <see cref="ResilienceAppModel.Attackers"/> write clients at once fill trees with
/// thoughts of 15,600 UTF-8 bytes (multi-byte characters and HTML, 9,600 UTF-16 units) until each is refused by
/// <c>MaxStoredBytesPerClient</c>, then their trees expire (the test sets the keys' expiry to now, as the TTL would; there
/// is no delete tool), <see cref="Rounds"/> times. TotService's RSS is sampled every 200 ms, its managed heap after GC
/// from /metrics at each phase's end, and every key of the clients' trees is weighed with <c>MEMORY USAGE … SAMPLES 0</c>.
/// Bounds (measured on the 2-core test machine, garnet or redis-server as the app model picks, with other builds
/// running; see TotService/README.md "Memory under attack"):
/// <list type="bullet">
/// <item>RSS peak during the attack at most <see cref="PeakBoundMiB"/> MiB over the baseline (measured: baseline 129-132 MiB,
/// peak 243-250 MiB, +106 to +119).</item>
/// <item>The last round's RSS peak at most <see cref="RoundGrowthBoundMiB"/> MiB over the first round's: repeated attacks
/// do not accumulate (measured: +5 to +13 MiB over 3 rounds).</item>
/// <item>After the last expiry, RSS at most <see cref="RssAfterMarginMiB"/> MiB over the peak (the runtime keeps memory
/// it has committed).</item>
/// <item>A full, blocking collection (dotnet-gcdump, as at the baseline): the small-object heap, where trees and
/// thoughts would live, back within <see cref="SmallHeapReturnBoundMiB"/> MiB of the baseline (measured: 6.3 to 7.7 MiB),
/// and the whole heap within <see cref="HeapReturnBoundMiB"/> MiB (measured: 18.3 to 51.9 MiB; the rest is the
/// large-object heap: request-sized buffers that <c>ArrayPool&lt;byte&gt;.Shared</c> keeps for reuse, 9 of 1 MiB and
/// 36 of 256 KiB in the snapshot, which the pool trims after they sit unused).</item>
/// <item>Redis: each client's trees hold at most 1.2 times its limit while filled (measured: 15 trees, 13,032,576 B for
/// 3 × 4 MiB, 868,747 B per tree), and nothing once Redis has reclaimed the expired keys (measured: 3-151 ms).</item>
/// </list>
/// The test body takes 30-35 s (bounded at 90 s).
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed partial class AmplificationSoakTests(ResilienceAppModel model, ITestOutputHelper output)
{
    public const double PeakBoundMiB = 150;
    public const double RoundGrowthBoundMiB = 48;
    public const double RssAfterMarginMiB = 16;
    public const double SmallHeapReturnBoundMiB = 8;
    public const double HeapReturnBoundMiB = 48;
    public const int Rounds = 3;
    private const int ThoughtsPerCall = 8;
    private static readonly TimeSpan ReclaimTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxBody = TimeSpan.FromSeconds(90);
    private static readonly string Thought = string.Concat(Enumerable.Repeat("<b>é中😀 ", 1200));
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Repeated_fills_to_the_per_client_limits_keep_memory_bounded_and_expiry_returns_it()
    {
        await model.WaitAllHealthyAsync(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        var pid = model.Process(model.TotServices[0]).ServicePid;
        var metricsUri = new Uri(model.Endpoint(model.TotServices[0]), "/metrics");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await model.App.GetConnectionStringAsync("redis", Ct)
            ?? throw new InvalidOperationException("redis has no connection string."));
        var db = redis.GetDatabase();
        var clients = new List<Attacker>();
        for (var i = 1; i <= ResilienceAppModel.Attackers; i++)
        {
            var id = ResilienceAppModel.AttackerId(i);
            var token = await model.RequestTokenAsync(id, model.AttackerSecret, model.Audience, "tot:read tot:write", cancellationToken: Ct);
            var (session, status) = await McpWire.OpenSessionAsync(http, model.McpEndpoint(), token, Ct);
            Assert.True(session is not null, $"{id}: initialize answered {status}");
            clients.Add(new Attacker(id, token, session!));
        }

        // Warm-up: every code path once (JIT, pools), then the baseline.
        foreach (var client in clients)
        {
            var tree = await CreateTreeAsync(http, client, "warm-up");
            await AddThoughtsAsync(http, client, tree!, 1);
            await ExpireAsync(db, client, [tree!]);
        }
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        var baselineTypes = await ServiceMemory.FullCollectionAsync(pid, Ct);
        var baselineSmall = await SmallHeapAsync(http, metricsUri);
        var baseline = new Sample("baseline (after a full collection)", ProcFs.RssMiB(pid), await HeapAsync(http, metricsUri), 0, 0, 0);
        output.WriteLine(baseline.Line());

        var peaks = new List<double>();
        for (var round = 1; round <= Rounds && clock.Elapsed < MaxBody - TimeSpan.FromSeconds(25); round++)
        {
            using var sampling = new CancellationTokenSource();
            var peak = SamplePeakAsync(pid, sampling.Token);
            var trees = await Task.WhenAll(clients.Select(c => FillAsync(http, c)));
            await sampling.CancelAsync();
            peaks.Add(await peak);

            var filled = await WeighAsync(db, clients, trees);
            output.WriteLine(new Sample($"round {round} filled", peaks[^1], await HeapAsync(http, metricsUri), trees.Sum(t => t.Count), filled.Total, filled.PerTree).Line());
            foreach (var (client, bytes) in clients.Zip(filled.PerClient))
            {
                Assert.InRange(bytes, ResilienceAppModel.ClientBytes * 0.8, ResilienceAppModel.ClientBytes * 1.2);
            }

            foreach (var (client, ids) in clients.Zip(trees))
            {
                await ExpireAsync(db, client, ids);
            }
            // Expired keys stay in Redis's memory until its active expiry cycle reclaims them (a fraction of a second).
            var reclaim = Stopwatch.StartNew();
            var expired = await WeighAsync(db, clients, trees);
            while (expired.Total > 0 && reclaim.Elapsed < ReclaimTimeout)
            {
                await Task.Delay(100, Ct);
                expired = await WeighAsync(db, clients, trees);
            }
            output.WriteLine(new Sample($"round {round} expired", ProcFs.RssMiB(pid), await HeapAsync(http, metricsUri), 0, expired.Total, 0).Line()
                + $" | reclaimed by Redis in {reclaim.ElapsedMilliseconds} ms");
            Assert.True(expired.Total == 0, $"still in Redis after expiry: {string.Join(", ", await DescribeAsync(db, clients, trees))}");
        }

        var returnedTypes = await ServiceMemory.FullCollectionAsync(pid, Ct);
        var returnedSmall = await SmallHeapAsync(http, metricsUri);
        var returned = new Sample("after a full collection", ProcFs.RssMiB(pid), await HeapAsync(http, metricsUri), 0, 0, 0);
        output.WriteLine(returned.Line() + string.Create(CultureInfo.InvariantCulture,
            $" | small-object heap {baselineSmall:0.0} -> {returnedSmall:0.0} MiB, large-object heap and pinned {baseline.HeapMiB - baselineSmall:0.0} -> {returned.HeapMiB - returnedSmall:0.0} MiB"));
        output.WriteLine("live objects by type, baseline:\n" + Top(baselineTypes) + "\nafter the attack:\n" + Top(returnedTypes));
        output.WriteLine($"{peaks.Count} rounds in {clock.Elapsed.TotalSeconds:0.0} s; RSS baseline {baseline.RssMiB:0} MiB, peak {peaks.Max():0} MiB " +
            $"(+{peaks.Max() - baseline.RssMiB:0}), after {returned.RssMiB:0} MiB; heap after a full collection {baseline.HeapMiB:0.0} -> {returned.HeapMiB:0.0} MiB");

        Assert.True(peaks.Count >= 2, $"only {peaks.Count} round(s) fitted in the time");
        Assert.True(peaks.Max() - baseline.RssMiB <= PeakBoundMiB, $"RSS peak {peaks.Max():0} MiB over baseline {baseline.RssMiB:0} MiB exceeds {PeakBoundMiB} MiB");
        Assert.True(peaks[^1] - peaks[0] <= RoundGrowthBoundMiB, $"RSS peaks grew round after round: {string.Join(", ", peaks.Select(p => p.ToString("0", CultureInfo.InvariantCulture)))} MiB");
        Assert.True(returned.RssMiB <= peaks.Max() + RssAfterMarginMiB, $"RSS {returned.RssMiB:0} MiB after the attack exceeds its peak {peaks.Max():0} MiB by more than {RssAfterMarginMiB} MiB");
        Assert.True(returnedSmall - baselineSmall <= SmallHeapReturnBoundMiB,
            $"after a full collection the small-object heap is {returnedSmall:0.0} MiB, {returnedSmall - baselineSmall:0.0} MiB over the baseline's {baselineSmall:0.0} MiB: the attack left objects alive");
        Assert.True(returned.HeapMiB - baseline.HeapMiB <= HeapReturnBoundMiB,
            $"after a full collection the managed heap is {returned.HeapMiB:0.0} MiB, {returned.HeapMiB - baseline.HeapMiB:0.0} MiB over the baseline's {baseline.HeapMiB:0.0} MiB");
        Assert.True(clock.Elapsed <= MaxBody, $"the test body took {clock.Elapsed}");
    }

    /// <summary>The first lines of a dotnet-gcdump heap report (header and the largest types).</summary>
    private static string Top(string report) => string.Join('\n', report.Split('\n').Take(18));

    /// <summary>Trees until the client's MaxStoredBytesPerClient refuses one; each tree until MaxTreeBytes refuses more thoughts.</summary>
    private async Task<List<string>> FillAsync(HttpClient http, Attacker client)
    {
        var trees = new List<string>();
        for (var n = 0; n < 100; n++)
        {
            var tree = await CreateTreeAsync(http, client, $"amplify {n}");
            if (tree is null)
            {
                return trees;
            }
            trees.Add(tree);
            string? refusal;
            while ((refusal = await AddThoughtsAsync(http, client, tree, ThoughtsPerCall)) is null)
            {
            }
            if (refusal.Contains("MaxStoredBytesPerClient", StringComparison.Ordinal))
            {
                return trees;
            }
            Assert.Contains("MaxTreeBytes", refusal, StringComparison.Ordinal);
        }
        throw new InvalidOperationException($"{client.Id}: 100 trees and no MaxStoredBytesPerClient refusal");
    }

    /// <summary>The new tree's id, or null when the create was refused by MaxStoredBytesPerClient.</summary>
    private async Task<string?> CreateTreeAsync(HttpClient http, Attacker client, string task)
    {
        var (status, body) = await McpWire.CallToolAsync(http, model.McpEndpoint(), client.Token, client.Session, "tot_tree_create",
            JsonSerializer.Serialize(new { task }), Ct);
        Assert.Equal(200, status);
        if (body.Contains("\"isError\":true", StringComparison.Ordinal))
        {
            Assert.Contains("MaxStoredBytesPerClient", body, StringComparison.Ordinal);
            return null;
        }
        return TreeId().Match(body) is { Success: true } match ? match.Value : throw new InvalidOperationException("no tree id in: " + body[..Math.Min(400, body.Length)]);
    }

    /// <summary>Null when added; else the refusal's text.</summary>
    private async Task<string?> AddThoughtsAsync(HttpClient http, Attacker client, string treeId, int count)
    {
        var arguments = JsonSerializer.Serialize(new { treeId, parentId = 0, thoughts = Enumerable.Repeat(Thought, count) }, Relaxed);
        var (status, body) = await McpWire.CallToolAsync(http, model.McpEndpoint(), client.Token, client.Session, "tot_tree_add_thoughts", arguments, Ct);
        Assert.Equal(200, status);
        return body.Contains("\"isError\":true", StringComparison.Ordinal) ? body : null;
    }

    /// <summary>What the TTL does at expiry, now: the trees and the client's usage index leave Redis.</summary>
    private static async Task ExpireAsync(IDatabase db, Attacker client, IEnumerable<string> trees)
    {
        foreach (var key in trees.Select(t => "tot:tree:" + t).Append("tot:trees:" + client.Id))
        {
            await db.KeyExpireAsync(key, TimeSpan.FromMilliseconds(1));
        }
        await Task.Delay(20, Ct);
    }

    /// <summary>MEMORY USAGE with SAMPLES 0 (every field; the default samples 5 and extrapolates) of each tree and each client's index.</summary>
    private static async Task<(long Total, long PerTree, long[] PerClient)> WeighAsync(IDatabase db, List<Attacker> clients, List<string>[] trees)
    {
        var perClient = new long[clients.Count];
        long treeBytes = 0;
        var treeCount = 0;
        for (var i = 0; i < clients.Count; i++)
        {
            foreach (var tree in i < trees.Length ? trees[i] : [])
            {
                var bytes = await MemoryUsageAsync(db, "tot:tree:" + tree);
                perClient[i] += bytes;
                treeBytes += bytes;
                treeCount += bytes > 0 ? 1 : 0;
            }
            perClient[i] += await MemoryUsageAsync(db, "tot:trees:" + clients[i].Id);
        }
        return (perClient.Sum(), treeCount == 0 ? 0 : treeBytes / treeCount, perClient);
    }

    private static async Task<List<string>> DescribeAsync(IDatabase db, List<Attacker> clients, List<string>[] trees)
    {
        var live = new List<string>();
        foreach (var key in trees.SelectMany(t => t).Select(t => "tot:tree:" + t).Concat(clients.Select(c => "tot:trees:" + c.Id)))
        {
            if (await MemoryUsageAsync(db, key) is > 0 and var bytes)
            {
                live.Add($"{key} {bytes} B ttl {await db.KeyTimeToLiveAsync(key)}");
            }
        }
        return live;
    }

    private static async Task<long> MemoryUsageAsync(IDatabase db, string key)
    {
        var result = await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");
        return result.IsNull ? 0 : (long)result;
    }

    private static async Task<double> SamplePeakAsync(int pid, CancellationToken stop)
    {
        var peak = ProcFs.RssMiB(pid);
        while (!stop.IsCancellationRequested)
        {
            peak = Math.Max(peak, ProcFs.RssMiB(pid));
            try
            {
                await Task.Delay(200, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }
        return Math.Max(peak, ProcFs.RssMiB(pid));
    }

    private static async Task<double> SmallHeapAsync(HttpClient http, Uri metrics) =>
        await ServiceMemory.SmallObjectHeapMiBAsync(http, metrics, Ct) ?? throw new InvalidOperationException("/metrics has no gen0-gen2 dotnet_gc_last_collection_heap_size_bytes");

    private static async Task<double> HeapAsync(HttpClient http, Uri metrics) =>
        await ServiceMemory.ManagedHeapMiBAsync(http, metrics, Ct) ?? throw new InvalidOperationException("/metrics has no dotnet_gc_last_collection_heap_size_bytes");

    [GeneratedRegex("tree_[0-9a-f]{32}")]
    private static partial Regex TreeId();

    private sealed record Attacker(string Id, string Token, string Session);

    private sealed record Sample(string Phase, double RssMiB, double HeapMiB, int Trees, long RedisBytes, long RedisBytesPerTree)
    {
        public string Line() => string.Create(CultureInfo.InvariantCulture,
            $"{Phase,-16} | TotService RSS {RssMiB,6:0.0} MiB | heap after GC {HeapMiB,6:0.0} MiB | trees {Trees,3} | Redis {RedisBytes,10:N0} B | per tree {RedisBytesPerTree,9:N0} B");
    }
}
