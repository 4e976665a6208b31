using TotService.Engine.Domains.Game24;
using TotService.Engine.Rendering;
using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Rendering;

public sealed class RenderingTests
{
    [Fact]
    public void Mermaid_escapes_labels_and_highlights_the_best_path()
    {
        var tree = new ThoughtTree("Is 3 < 4 & \"true\"? #1", null, "s");
        var good = tree.AddChild(0, "yes [sure]", "a", null, false);
        var bad = tree.AddChild(0, "line one\nline two", "b", null, false);
        tree.SetScore(good.Id, 0.9, null);
        tree.SetScore(bad.Id, 0.1, null);
        tree.SetStatus(bad.Id, NodeStatus.Pruned);

        var mermaid = MermaidRenderer.Render(tree.ToSnapshot());

        Assert.StartsWith("graph TD\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("n0[\"0: Is 3 #lt; 4 #amp; #quot;true#quot;? #35;1\"]", mermaid, StringComparison.Ordinal);
        Assert.Contains("n1[\"1: yes #91;sure#93; (0.9)\"]", mermaid, StringComparison.Ordinal);
        Assert.Contains("n2[\"2: line one line two (0.1)\"]", mermaid, StringComparison.Ordinal);
        Assert.Contains("n0 --> n1", mermaid, StringComparison.Ordinal);
        Assert.Contains("class n0,n1 best;", mermaid, StringComparison.Ordinal);
        Assert.Contains("class n2 pruned;", mermaid, StringComparison.Ordinal);
        Assert.Contains("linkStyle 0 stroke", mermaid, StringComparison.Ordinal);
        Assert.DoesNotContain("linkStyle 1", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_result_and_tree_roundtrip_through_json()
    {
        using var fixture = new EngineFixture();
        var result = await fixture.Engine.RunAsync(new ThoughtProblem("4 9 10 13"), new SearchSettings { MaxDepth = 3 },
            Game24Providers.Create(new Game24Solver()), cancellationToken: TestContext.Current.CancellationToken);

        var json = EngineJson.Serialize(result);
        var back = EngineJson.DeserializeResult(json);

        Assert.Contains("\"stopReason\":\"SolutionFound\"", json, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"Solution\"", json, StringComparison.Ordinal);
        Assert.Equal(result.Answer, back.Answer);
        Assert.Equal(result.Tree.Nodes, back.Tree.Nodes);
        Assert.Equal(result.BestPath, back.BestPath);
        Assert.Equal(EngineJson.Serialize(result.Tree), EngineJson.Serialize(EngineJson.DeserializeTree(EngineJson.Serialize(result.Tree))));
        Assert.Contains("class ", MermaidRenderer.Render(back.Tree), StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_snapshots_are_rejected()
    {
        var tree = new ThoughtTree("t", null, "s");
        tree.AddChild(0, "a", "a", null, false);
        var snapshot = tree.ToSnapshot();
        var corrupt = snapshot with { Nodes = [snapshot.Nodes[0], snapshot.Nodes[1] with { Depth = 5 }] };

        Assert.Throws<InvalidDataException>(() => ThoughtTree.FromSnapshot(corrupt));
    }
}
