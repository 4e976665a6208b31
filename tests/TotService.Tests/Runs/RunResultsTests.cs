using System.Text;
using TotService.Engine.Providers;
using TotService.Engine.Rendering;
using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Runs;

namespace TotService.Tests.Runs;

/// <summary>Stored results stay within the per-run byte limit, clipping model-written texts off the best path first.</summary>
public sealed class RunResultsTests
{
    private static SearchResult Result(int nodes, int textLength)
    {
        var tree = new ThoughtTree("task", null, "task");
        for (var i = 1; i <= nodes; i++)
        {
            tree.AddChild(0, $"{i} " + new string('w', textLength), "s" + i + new string('s', textLength), null, isFinal: false);
        }
        var bestPath = tree.PathTo(1);
        return new SearchResult
        {
            StopReason = StopReason.MaxNodes, Solved = false, Answer = new string('a', 50_000), BestPath = bestPath, NodesExpanded = 1,
            NodeCount = nodes, DepthReached = 1, Elapsed = TimeSpan.FromSeconds(1), Usage = new ProviderUsageSnapshot(nodes, 0), Tree = tree.ToSnapshot(),
        };
    }

    [Fact]
    public void A_small_result_is_stored_as_it_is()
    {
        var result = Result(5, 100) with { Answer = "42" };

        var (json, trimmed) = RunResults.Serialize(result, 64 * 1024);

        Assert.False(trimmed);
        Assert.Equal(EngineJson.Serialize(result), json);
    }

    [Fact]
    public void A_large_trace_is_clipped_to_the_limit_keeping_the_best_path_whole_when_it_fits()
    {
        var result = Result(500, 5000); // about 5 MB of model text

        var (json, trimmed) = RunResults.Serialize(result, 512 * 1024);

        Assert.True(trimmed);
        Assert.InRange(Encoding.UTF8.GetByteCount(json), 1, 512 * 1024);
        var stored = EngineJson.DeserializeResult(json);
        Assert.Equal(501, stored.Tree.Nodes.Count);
        Assert.Equal(result.BestPath[1].Thought, stored.BestPath[1].Thought);
        Assert.Equal(result.BestPath[1].Thought, stored.Tree.Nodes[1].Thought);
        Assert.True(stored.Tree.Nodes[2].Thought.Length < 1100);
        Assert.Equal(10_001, stored.Answer!.Length);
        Assert.NotNull(MermaidRenderer.Render(stored.Tree));
    }
}
