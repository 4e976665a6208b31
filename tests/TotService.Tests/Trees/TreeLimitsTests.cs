using TotService.Tests.Tools;

namespace TotService.Tests.Trees;

/// <summary>Each tree limit refuses with a tool error naming its setting; large trees are viewed a page at a time.</summary>
public sealed class TreeLimitsTests(TreeLimitsTests.TightHost host) : IClassFixture<TreeLimitsTests.TightHost>
{
    public sealed class TightHost : ToolsHost
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["TotService:Trees:MaxThoughtBytes"] = "1000",
            ["TotService:Trees:MaxTreeBytes"] = "20000",
            ["TotService:Trees:MaxTreesPerClient"] = "2",
            ["TotService:Trees:MaxStoredBytesPerClient"] = "25000",
            ["TotService:Trees:MaxViewBytes"] = "4096",
        };
    }

    private static string Client() => "limited-" + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task A_thought_over_the_byte_limit_is_refused_even_when_its_characters_fit()
    {
        await using var client = await host.ConnectAsync(Client());
        var treeId = (await client.CallOkAsync("tot_tree_create", new { task = "t" })).Str("treeId");

        var message = await client.CallErrorAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = new[] { "ok", new string('中', 400) } });

        Assert.Contains("1200 bytes", message, StringComparison.Ordinal);
        Assert.Contains("TotService:Trees:MaxThoughtBytes", message, StringComparison.Ordinal);
        Assert.Contains("node 2", message, StringComparison.Ordinal);
        Assert.Equal(1, (await client.CallOkAsync("tot_tree_view", new { treeId })).GetProperty("nodeCount").GetInt32());
        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = new[] { new string('中', 333) } });
        Assert.Contains("TotService:Trees:MaxThoughtBytes", await client.CallErrorAsync("tot_tree_score",
            new { treeId, scores = new object[] { new { nodeId = 1, score = 0.5, rationale = new string('é', 501) } } }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trees_per_client_tree_bytes_and_client_bytes_are_each_refused_by_name()
    {
        await using var client = await host.ConnectAsync(Client());
        var first = (await client.CallOkAsync("tot_tree_create", new { task = "one" })).Str("treeId");
        var second = (await client.CallOkAsync("tot_tree_create", new { task = "two" })).Str("treeId");
        Assert.Contains("TotService:Trees:MaxTreesPerClient", await client.CallErrorAsync("tot_tree_create", new { task = "three" }), StringComparison.Ordinal);

        var thoughts = Enumerable.Repeat(new string('x', 990), 10).ToArray();
        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId = first, parentId = 0, thoughts });
        var full = await client.CallErrorAsync("tot_tree_add_thoughts", new { treeId = first, parentId = 0, thoughts });
        Assert.Contains("TotService:Trees:MaxTreeBytes", full, StringComparison.Ordinal);
        Assert.Contains("limit is 20000 bytes per tree", full, StringComparison.Ordinal);

        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId = second, parentId = 0, thoughts });
        var total = await client.CallErrorAsync("tot_tree_add_thoughts", new { treeId = second, parentId = 0, thoughts = thoughts[..5] });
        Assert.Contains("TotService:Trees:MaxStoredBytesPerClient", total, StringComparison.Ordinal);

        // The limits are per client.
        await using var other = await host.ConnectAsync(Client());
        await other.CallOkAsync("tot_tree_create", new { task = "mine" });
    }

    [Fact]
    public async Task A_large_tree_is_viewed_in_pages_that_say_where_the_next_one_starts()
    {
        await using var client = await host.ConnectAsync(Client());
        var treeId = (await client.CallOkAsync("tot_tree_create", new { task = "big" })).Str("treeId");
        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = Enumerable.Range(1, 10).Select(i => $"{i}:" + new string('y', 900)).ToArray() });

        var seen = new List<int>();
        int? from = 0;
        var pages = 0;
        while (from is { } start)
        {
            var result = await client.CallAsync("tot_tree_view", new { treeId, fromNodeId = start });
            Assert.True(result.IsError != true, result.Text());
            var page = result.StructuredContent!.Value;
            Assert.Equal(11, page.GetProperty("nodeCount").GetInt32());
            var nodes = page.GetProperty("tree").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetInt32()).ToList();
            Assert.NotEmpty(nodes);
            seen.AddRange(nodes);
            from = page.TryGetProperty("nextFromNodeId", out var nextFrom) ? nextFrom.GetInt32() : null;
            Assert.Equal(from is not null, page.GetProperty("truncated").GetBoolean());
            if (from is { } next)
            {
                Assert.Contains($"fromNodeId={next}", result.Text(), StringComparison.Ordinal);
            }
            pages++;
        }

        Assert.Equal(Enumerable.Range(0, 11), seen);
        Assert.InRange(pages, 3, 11);
        Assert.Contains("fromNodeId must be between 0 and 10", await client.CallErrorAsync("tot_tree_view", new { treeId, fromNodeId = 11 }), StringComparison.Ordinal);
    }
}
