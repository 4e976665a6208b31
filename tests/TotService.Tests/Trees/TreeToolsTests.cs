using TotService.Tests.Tools;

namespace TotService.Tests.Trees;

/// <summary>Client-driven trees through a real MCP client: the client thinks, the server keeps the tree and the discipline.</summary>
public sealed class TreeToolsTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    [Fact]
    public async Task A_client_grows_scores_and_solves_a_tree_with_the_strategy_choosing_and_pruning()
    {
        await using var client = await host.ConnectAsync("gardener-" + Guid.NewGuid().ToString("N")[..6]);
        var created = await client.CallOkAsync("tot_tree_create", new { task = "Plan a weekend trip", strategy = "beam", breadth = 2, maxDepth = 3 });
        var treeId = created.Str("treeId");
        Assert.Equal("beam", created.Str("strategy"));

        var added = await client.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = new[] { "Rome", "Oslo", "Paris" } });
        Assert.Equal([1, 2, 3], added.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("nodeId").GetInt32()).ToArray());

        var waiting = await client.CallOkAsync("tot_tree_next", new { treeId });
        Assert.Equal([1, 2, 3], waiting.GetProperty("unscoredNodeIds").EnumerateArray().Select(n => n.GetInt32()).ToArray());

        await client.CallOkAsync("tot_tree_score", new
        {
            treeId,
            scores = new object[] { new { nodeId = 1, score = 0.9, rationale = "sunny" }, new { nodeId = 2, score = 0.2 }, new { nodeId = 3, score = 0.6 } },
        });
        var next = await client.CallOkAsync("tot_tree_next", new { treeId });
        Assert.Equal(1, next.GetProperty("node").GetProperty("nodeId").GetInt32());
        Assert.Contains(2, next.GetProperty("prunedNodeIds").EnumerateArray().Select(n => n.GetInt32())); // beam of 2 keeps 1 and 3

        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 1, thoughts = new[] { "Rome by train, 2 nights" } });
        await client.CallOkAsync("tot_tree_score", new { treeId, scores = new object[] { new { nodeId = 4, score = 1.0 } } });
        var marked = await client.CallOkAsync("tot_tree_mark", new { treeId, nodeId = 4, mark = "solution" });
        Assert.Equal("solution", marked.GetProperty("nodes")[0].Str("status"));

        var best = await client.CallOkAsync("tot_tree_best_path", new { treeId });
        Assert.True(best.GetProperty("isSolution").GetBoolean());
        Assert.Equal(["Plan a weekend trip", "Rome", "Rome by train, 2 nights"], best.GetProperty("path").EnumerateArray().Select(n => n.Str("thought")).ToArray());

        var done = await client.CallOkAsync("tot_tree_next", new { treeId });
        Assert.Equal("solution_found", done.Str("stopReason"));

        var json = await client.CallOkAsync("tot_tree_view", new { treeId, format = "json" });
        Assert.Equal(5, json.GetProperty("tree").GetProperty("nodes").GetArrayLength());
        var mermaid = await client.CallOkAsync("tot_tree_view", new { treeId, format = "mermaid" });
        Assert.StartsWith("graph TD", mermaid.Str("mermaid"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refused_operations_and_foreign_trees_give_clear_tool_errors()
    {
        await using var owner = await host.ConnectAsync("tree-owner-" + Guid.NewGuid().ToString("N")[..6]);
        await using var other = await host.ConnectAsync("tree-other-" + Guid.NewGuid().ToString("N")[..6]);
        var treeId = (await owner.CallOkAsync("tot_tree_create", new { task = "t", maxDepth = 1 })).Str("treeId");
        await owner.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = new[] { "a" } });

        Assert.Contains("does not exist", await owner.CallErrorAsync("tot_tree_add_thoughts", new { treeId, parentId = 42, thoughts = new[] { "x" } }), StringComparison.Ordinal);
        Assert.Contains("depth limit", await owner.CallErrorAsync("tot_tree_add_thoughts", new { treeId, parentId = 1, thoughts = new[] { "x" } }), StringComparison.Ordinal);
        Assert.Contains("between 1 and 10 entries", await owner.CallErrorAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = Array.Empty<string>() }), StringComparison.Ordinal);
        Assert.Contains("score must be between 0 and 1", await owner.CallErrorAsync("tot_tree_score", new { treeId, scores = new object[] { new { nodeId = 1, score = -0.5 } } }), StringComparison.Ordinal);
        Assert.Contains("root node", await owner.CallErrorAsync("tot_tree_mark", new { treeId, nodeId = 0, mark = "solution" }), StringComparison.Ordinal);
        Assert.Contains("Allowed: solution, dead_end", await owner.CallErrorAsync("tot_tree_mark", new { treeId, nodeId = 1, mark = "great" }), StringComparison.Ordinal);
        Assert.Contains("Allowed: json, mermaid", await owner.CallErrorAsync("tot_tree_view", new { treeId, format = "svg" }), StringComparison.Ordinal);

        foreach (var (tool, arguments) in new (string, object)[]
        {
            ("tot_tree_view", new { treeId }),
            ("tot_tree_best_path", new { treeId }),
            ("tot_tree_next", new { treeId }),
            ("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = new[] { "mine now" } }),
        })
        {
            Assert.Contains("was not found", await other.CallErrorAsync(tool, arguments), StringComparison.Ordinal);
        }
        Assert.Equal(2, (await owner.CallOkAsync("tot_tree_view", new { treeId })).GetProperty("tree").GetProperty("nodes").GetArrayLength());
    }
}
