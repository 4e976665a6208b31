using System.Text;
using StackExchange.Redis;
using TotService.Storage;

namespace TotService.Tests.Trees;

/// <summary>
/// A write client pushing large thoughts full of characters that JSON encoders like to escape: the store keeps about
/// what was sent, and the client is refused once its tree and its total reach their limits.
/// </summary>
public sealed class TreeAmplificationTests(TreeAmplificationTests.SmallLimitsHost host) : IClassFixture<TreeAmplificationTests.SmallLimitsHost>
{
    public sealed class SmallLimitsHost : RedisToolsHost
    {
        protected override IDictionary<string, string?> Limits => new Dictionary<string, string?>
        {
            ["TotService:Trees:MaxTreeBytes"] = $"{256 * 1024}",
            ["TotService:Trees:MaxStoredBytesPerClient"] = $"{1024 * 1024}",
        };
    }

    // 13 UTF-8 bytes in 8 UTF-16 units; an escaping encoder writes 38 bytes for them.
    private static readonly string Thought = string.Concat(Enumerable.Repeat("<b>é中😀 ", 1200));

    [Fact]
    public async Task Stored_bytes_stay_within_a_fifth_of_what_was_sent_and_the_client_is_refused_past_its_limits()
    {
        var owner = "amplifier-" + Guid.NewGuid().ToString("N")[..6];
        await using var client = await host.ConnectAsync(owner);
        var thoughtBytes = Encoding.UTF8.GetByteCount(Thought);
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        long sent = 0;
        var trees = new List<string>();
        var refusals = new List<string>();

        while (refusals.Count == 0 || !refusals[^1].Contains("MaxStoredBytesPerClient", StringComparison.Ordinal))
        {
            var created = await client.CallAsync("tot_tree_create", new { task = "amplify " + trees.Count });
            if (created.IsError == true)
            {
                refusals.Add(created.Text());
                break;
            }
            var treeId = created.StructuredContent!.Value.Str("treeId");
            trees.Add(treeId);
            sent += Encoding.UTF8.GetByteCount("amplify " + (trees.Count - 1));
            while (true)
            {
                var added = await client.CallAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = new[] { Thought, Thought, Thought, Thought } });
                if (added.IsError == true)
                {
                    refusals.Add(added.Text());
                    break;
                }
                sent += 4L * thoughtBytes;
            }
            Assert.True(trees.Count < 10, "the per-client limit never refused: " + string.Join(" | ", refusals));
        }

        var db = host.Redis.Connection.GetDatabase();
        long memory = 0, payload = 0;
        foreach (var key in trees.Select(StorageKeys.Tree).Append(StorageKeys.OwnerTrees(owner)))
        {
            memory += (long)await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0");
            foreach (var field in await db.HashKeysAsync(key))
            {
                payload += (long)await db.ExecuteAsync("HSTRLEN", key, field);
            }
        }
        var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"sent {sent} B in {trees.Count} trees; Redis MEMORY USAGE {memory} B ({(double)memory / sent:0.000}x), field bytes {payload} B ({(double)payload / sent:0.000}x); " +
            $"managed heap {managedBefore / 1024 / 1024} MB before, {managedAfter / 1024 / 1024} MB after");

        Assert.True(memory <= sent * 1.2, $"Redis holds {memory} B for {sent} B sent");
        Assert.True(payload <= sent * 1.05, $"the fields hold {payload} B for {sent} B sent");
        Assert.Contains(refusals, r => r.Contains("TotService:Trees:MaxTreeBytes", StringComparison.Ordinal));
        Assert.Contains("TotService:Trees:MaxStoredBytesPerClient", refusals[^1], StringComparison.Ordinal);
        Assert.InRange(sent, 900 * 1024, 1024 * 1024);
    }

    [Fact]
    public async Task An_operation_writes_only_the_nodes_it_changed()
    {
        await using var client = await host.ConnectAsync("incremental-" + Guid.NewGuid().ToString("N")[..6]);
        var treeId = (await client.CallOkAsync("tot_tree_create", new { task = "t" })).Str("treeId");
        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = new[] { Thought, Thought, "short" } });
        var db = host.Redis.Connection.GetDatabase();
        var before = (await db.HashGetAllAsync(StorageKeys.Tree(treeId))).ToDictionary(e => e.Name.ToString(), e => (byte[])e.Value!);

        await client.CallOkAsync("tot_tree_score", new { treeId, scores = new object[] { new { nodeId = 3, score = 0.5 } } });

        var after = (await db.HashGetAllAsync(StorageKeys.Tree(treeId))).ToDictionary(e => e.Name.ToString(), e => (byte[])e.Value!);
        var changed = after.Where(e => !before.TryGetValue(e.Key, out var old) || !old.AsSpan().SequenceEqual(e.Value)).Select(e => e.Key).Order().ToArray();
        Assert.Equal(["3", "updated", "version"], changed);
        var stored = after["1"];
        Assert.InRange(stored.Length, Encoding.UTF8.GetByteCount(Thought), Encoding.UTF8.GetByteCount(Thought) + 32); // the thought once, unescaped
        Assert.DoesNotContain("\\u", Encoding.UTF8.GetString(stored), StringComparison.Ordinal);
    }
}
