using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using TotService.Tests.Tools;

namespace TotService.Tests.Resources;

/// <summary>Client-driven trees as <c>tot://trees/...</c> resources: always fresh, the owner's only.</summary>
public sealed class TreeResourcesTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tree_reads_as_json_and_mermaid_that_are_stale_at_once_as_every_tool_call_changes_it()
    {
        await using var client = await host.ConnectAsync("grower-" + Guid.NewGuid().ToString("N")[..6]);
        var treeId = (await client.CallOkAsync("tot_tree_create", new { task = "Plan a weekend trip", breadth = 2, maxDepth = 2 })).Str("treeId");
        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = new[] { "Rome", "Oslo" } });
        await client.CallOkAsync("tot_tree_score", new { treeId, scores = new[] { new { nodeId = 1, score = 0.9 }, new { nodeId = 2, score = 0.2 } } });

        var json = await client.ReadResourceAsync($"tot://trees/{treeId}", cancellationToken: Cancel);
        var mermaid = await client.ReadResourceAsync($"tot://trees/{treeId}/tree.mmd", cancellationToken: Cancel);

        var content = Assert.IsType<TextResourceContents>(Assert.Single(json.Contents));
        Assert.Equal("application/json", content.MimeType);
        var view = JsonDocument.Parse(content.Text).RootElement;
        Assert.Equal(treeId, view.Str("treeId"));
        Assert.Equal(3, view.GetProperty("nodeCount").GetInt32());
        Assert.Equal(["Plan a weekend trip", "Rome", "Oslo"], view.GetProperty("tree").GetProperty("nodes").EnumerateArray().Select(n => n.Str("thought")));
        Assert.Equal(TimeSpan.Zero, json.TimeToLive);
        Assert.Equal(CacheScope.Private, json.CacheScope);

        var diagram = Assert.IsType<TextResourceContents>(Assert.Single(mermaid.Contents));
        Assert.Equal("text/vnd.mermaid", diagram.MimeType);
        Assert.StartsWith("graph TD\n", diagram.Text, StringComparison.Ordinal);
        Assert.Contains("n0 --> n1", diagram.Text, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.Zero, mermaid.TimeToLive);
    }

    [Fact]
    public async Task Another_clients_tree_reads_exactly_as_a_tree_that_does_not_exist()
    {
        const string unknownTree = "tree_00000000000000000000000000000000";
        await using var owner = await host.ConnectAsync("tree-owner-" + Guid.NewGuid().ToString("N")[..6]);
        await using var stranger = await host.ConnectAsync("tree-stranger-" + Guid.NewGuid().ToString("N")[..6]);
        var treeId = (await owner.CallOkAsync("tot_tree_create", new { task = "secret plans" })).Str("treeId");

        foreach (var suffix in new[] { "", "/tree.mmd" })
        {
            var foreign = await Assert.ThrowsAsync<McpProtocolException>(async () =>
                await stranger.ReadResourceAsync($"tot://trees/{treeId}{suffix}", cancellationToken: Cancel));
            var missing = await Assert.ThrowsAsync<McpProtocolException>(async () =>
                await stranger.ReadResourceAsync($"tot://trees/{unknownTree}{suffix}", cancellationToken: Cancel));

            Assert.Equal(McpErrorCode.InvalidParams, foreign.ErrorCode);
            Assert.Equal(missing.Message.Replace(unknownTree, treeId, StringComparison.Ordinal), foreign.Message);
            Assert.DoesNotContain("secret", foreign.Message, StringComparison.Ordinal);
        }
        await owner.ReadResourceAsync($"tot://trees/{treeId}", cancellationToken: Cancel);
    }
}
