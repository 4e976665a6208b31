using System.Text.Json;
using TotService.Engine.Domains.Game24;

namespace TotService.Tests.Tools;

/// <summary>The fourth strategy through the tools: listed in every schema, validated with messages that say what is allowed.</summary>
public sealed class MctsToolTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    private static readonly string[] StrategyTools = ["tot_start_run", "tot_solve", "tot_tree_create"];

    [Fact]
    public async Task Every_tool_that_takes_a_strategy_lists_mcts_and_its_exploration_constant()
    {
        await using var client = await host.ConnectAsync("schema-" + Guid.NewGuid().ToString("N")[..6]);

        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        var withStrategy = tools.Where(t => t.ProtocolTool.InputSchema.GetProperty("properties").TryGetProperty("strategy", out _)).Select(t => t.Name).Order().ToList();
        Assert.Equal(StrategyTools.Order(), withStrategy);
        foreach (var tool in tools.Where(t => withStrategy.Contains(t.Name)))
        {
            var properties = tool.ProtocolTool.InputSchema.GetProperty("properties");
            Assert.Contains("mcts", properties.GetProperty("strategy").GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Equal(JsonValueKind.Object, properties.GetProperty("explorationConstant").ValueKind);
            Assert.Equal(JsonValueKind.Object, properties.GetProperty("maxIterations").ValueKind);
        }
    }

    [Theory]
    [InlineData("tot_solve")]
    [InlineData("tot_start_run")]
    [InlineData("tot_tree_create")]
    public async Task A_bad_strategy_or_exploration_constant_is_a_tool_error_saying_what_is_allowed(string tool)
    {
        await using var client = await host.ConnectAsync("bad-mcts-" + Guid.NewGuid().ToString("N")[..6]);

        var badName = await client.CallErrorAsync(tool, new { task = "4 9 10 13", domain = "game24", strategy = "monte" });
        var badConstant = await client.CallErrorAsync(tool, new { task = "4 9 10 13", domain = "game24", strategy = "mcts", explorationConstant = 11.5 });
        var badIterations = await client.CallErrorAsync(tool, new { task = "4 9 10 13", domain = "game24", strategy = "mcts", maxIterations = 0 });

        Assert.Contains("Unknown strategy 'monte'. Allowed: beam (alias bfs), best-first (alias best_first), dfs (alias depth-first), mcts (alias monte-carlo).", badName, StringComparison.Ordinal);
        Assert.Contains("explorationConstant must be between 0 and 10 (got 11.5).", badConstant, StringComparison.Ordinal);
        Assert.Contains("maxIterations must be between 1 and 2000 (got 0).", badIterations, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Solve_with_mcts_on_the_exact_domain_returns_a_verified_answer()
    {
        await using var client = await host.ConnectAsync("mcts-" + Guid.NewGuid().ToString("N")[..6]);

        var result = await client.CallOkAsync("tot_solve", new { task = "4 9 10 13", domain = "game24", strategy = "mcts", explorationConstant = 0.5, maxDepth = 3 });

        Assert.True(result.GetProperty("solved").GetBoolean());
        Assert.True(Game24Verifier.Verify(Game24Puzzle.Parse("4 9 10 13"), result.Str("answer")).IsValid);
        Assert.Equal("solution_found", result.Str("stopReason"));
    }

    [Fact]
    public async Task A_client_driven_mcts_tree_backpropagates_the_scores_it_is_given_into_its_next_choice()
    {
        await using var client = await host.ConnectAsync("mcts-tree-" + Guid.NewGuid().ToString("N")[..6]);
        var tree = await client.CallOkAsync("tot_tree_create", new { task = "Plan a weekend trip", strategy = "mcts", explorationConstant = 0 });
        var treeId = tree.Str("treeId");
        Assert.Equal("mcts", tree.Str("strategy"));
        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 0, thoughts = new[] { "Rome", "Oslo", "Paris" } });
        await client.CallOkAsync("tot_tree_score", new
        {
            treeId,
            scores = new object[] { new { nodeId = 1, score = 0.9 }, new { nodeId = 2, score = 0.2 }, new { nodeId = 3, score = 0.6 } },
        });

        // Greedy UCT (c = 0): the best mean value first.
        var first = await client.CallOkAsync("tot_tree_next", new { treeId });
        Assert.Equal(1, first.GetProperty("node").GetProperty("nodeId").GetInt32());

        // Rome's children score 0.5: Rome's mean is (0.9 + 0.5) / 2 = 0.7, still above Paris's 0.6, so the search goes on
        // under Rome (best-first would take Paris, the best open node).
        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 1, thoughts = new[] { "Rome by train", "Rome by car" } });
        await client.CallOkAsync("tot_tree_score", new { treeId, scores = new object[] { new { nodeId = 4, score = 0.5 }, new { nodeId = 5, score = 0.4 } } });
        var second = await client.CallOkAsync("tot_tree_next", new { treeId });
        Assert.Equal(4, second.GetProperty("node").GetProperty("nodeId").GetInt32());

        // Rome by train leads nowhere (0.1): backpropagated, Rome's mean falls to (0.9 + 0.5 + 0.1) / 3 = 0.5, and Paris is next.
        await client.CallOkAsync("tot_tree_add_thoughts", new { treeId, parentId = 4, thoughts = new[] { "Night train, sold out" } });
        await client.CallOkAsync("tot_tree_score", new { treeId, scores = new object[] { new { nodeId = 6, score = 0.1 } } });
        var third = await client.CallOkAsync("tot_tree_next", new { treeId });
        Assert.Equal(3, third.GetProperty("node").GetProperty("nodeId").GetInt32());
    }
}
