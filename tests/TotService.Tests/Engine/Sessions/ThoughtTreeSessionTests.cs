using TotService.Engine.Rendering;
using TotService.Engine.Search;
using TotService.Engine.Sessions;
using TotService.Engine.Tree;

namespace TotService.Tests.Engine.Sessions;

public sealed class ThoughtTreeSessionTests
{
    [Fact]
    public void Beam_session_walks_levels_and_prunes_to_breadth_distinct_thoughts()
    {
        var session = ThoughtTreeSession.Create(new ThoughtProblem("Name a product"), new SearchSettings { Breadth = 2, MaxDepth = 3 });
        Assert.Equal(0, session.SelectNext().Node?.Id);

        var level1 = session.AddThoughts(0, ["Alpha", "alpha ", "Beta", "Gamma"]);
        Assert.Equal([1, 2, 3, 4], session.SelectNext().UnscoredNodeIds);
        Score(session, level1, 0.9, 0.9, 0.5, 0.7);

        var first = Roundtrip(session).SelectNext();
        Assert.Equal("Alpha", first.Node?.Thought);
        Assert.Equal([2, 3], first.PrunedNodeIds);

        session = Roundtrip(session);
        session.SelectNext();
        var underAlpha = session.AddThoughts(1, ["Alpha One"]);
        session.Score(underAlpha[0].Id, 0.4);
        var second = Roundtrip(session).SelectNext();
        Assert.Equal("Gamma", second.Node?.Thought);
        Assert.Empty(second.PrunedNodeIds);
    }

    [Fact]
    public void Best_first_session_chooses_the_best_open_node_anywhere()
    {
        var session = ThoughtTreeSession.Create(new ThoughtProblem("t"), new SearchSettings { Strategy = SearchStrategy.BestFirst, MaxFrontier = 2 });
        var kids = session.AddThoughts(0, ["a", "b", "c"]);
        Score(session, kids, 0.2, 0.6, 0.4);

        var decision = session.SelectNext();

        Assert.Equal("b", decision.Node?.Thought);
        Assert.Equal([kids[0].Id], decision.PrunedNodeIds);
    }

    [Fact]
    public void Dfs_session_prunes_below_threshold_and_backtracks()
    {
        var session = ThoughtTreeSession.Create(new ThoughtProblem("t"), new SearchSettings { Strategy = SearchStrategy.DepthFirst, PruneThreshold = 0.5, MaxDepth = 4 });
        var kids = session.AddThoughts(0, ["a", "b", "c"]);
        Score(session, kids, 0.8, 0.6, 0.1);
        var first = session.SelectNext();
        Assert.Equal("a", first.Node?.Thought);
        Assert.Equal([kids[2].Id], first.PrunedNodeIds);

        session.MarkDeadEnd(kids[0].Id);
        Assert.Equal("b", session.SelectNext().Node?.Thought);
    }

    [Fact]
    public void Marked_solution_ends_the_search_and_leads_the_best_path()
    {
        var session = ThoughtTreeSession.Create(new ThoughtProblem("t"), new SearchSettings());
        var kids = session.AddThoughts(0, ["high", "right"]);
        Score(session, kids, 0.9, 0.6);
        session.MarkSolution(kids[1].Id);

        Assert.Equal(StopReason.SolutionFound, session.SelectNext().StopReason);
        Assert.Equal(["t", "right"], session.BestPath().Select(n => n.Thought));
    }

    [Fact]
    public void A_solution_marked_without_a_score_still_leads_the_best_path()
    {
        var session = ThoughtTreeSession.Create(new ThoughtProblem("t"), new SearchSettings());
        var kids = session.AddThoughts(0, ["scored", "unscored"]);
        session.Score(kids[0].Id, 0.9);

        session.MarkSolution(kids[1].Id);

        Assert.Equal("unscored", session.BestPath()[^1].Thought);
    }

    [Fact]
    public void Depth_limit_ends_the_search_with_leaves_as_candidates()
    {
        var session = ThoughtTreeSession.Create(new ThoughtProblem("t"), new SearchSettings { MaxDepth = 1 });
        var kids = session.AddThoughts(0, ["x", "y"]);
        Score(session, kids, 0.3, 0.8);

        var decision = session.SelectNext();

        Assert.Null(decision.Node);
        Assert.Equal(StopReason.MaxDepth, decision.StopReason);
        Assert.Equal("y", session.BestPath()[^1].Thought);
        var refused = Assert.Throws<TreeOperationException>(() => session.AddThoughts(kids[0].Id, ["deeper"]));
        Assert.Contains("depth limit (1)", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_bad_operations_with_messages_that_say_what_is_allowed()
    {
        var session = ThoughtTreeSession.Create(new ThoughtProblem("t"), new SearchSettings { MaxNodes = 3 });

        Assert.Contains("valid node ids are 0..0", Assert.Throws<TreeOperationException>(() => session.AddThoughts(7, ["x"])).Message, StringComparison.Ordinal);
        Assert.Contains("between 1 and 10", Assert.Throws<TreeOperationException>(() => session.AddThoughts(0, [])).Message, StringComparison.Ordinal);
        Assert.Contains("at most 10000 characters", Assert.Throws<TreeOperationException>(() => session.AddThoughts(0, [new string('x', 10_001)])).Message, StringComparison.Ordinal);
        Assert.Contains("at most 3 nodes", Assert.Throws<TreeOperationException>(() => session.AddThoughts(0, ["a", "b", "c", "d"])).Message, StringComparison.Ordinal);
        var kid = session.AddThoughts(0, ["a"])[0];
        Assert.Contains("between 0 and 1", Assert.Throws<TreeOperationException>(() => session.Score(kid.Id, 1.5)).Message, StringComparison.Ordinal);
        Assert.Contains("root", Assert.Throws<TreeOperationException>(() => session.Score(0, 0.5)).Message, StringComparison.Ordinal);
        session.MarkDeadEnd(kid.Id);
        Assert.Contains("dead_end", Assert.Throws<TreeOperationException>(() => session.AddThoughts(kid.Id, ["x"])).Message, StringComparison.Ordinal);
        Assert.Contains("maxDepth must be between 1 and 10", Assert.Throws<TreeOperationException>(
            () => ThoughtTreeSession.Create(new ThoughtProblem("t"), new SearchSettings { MaxDepth = 11 })).Message, StringComparison.Ordinal);
    }

    private static void Score(ThoughtTreeSession session, IReadOnlyList<ThoughtNode> nodes, params double[] scores)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            session.Score(nodes[i].Id, scores[i]);
        }
    }

    /// <summary>What the lead's store does between requests: JSON out, JSON in.</summary>
    private static ThoughtTreeSession Roundtrip(ThoughtTreeSession session) =>
        ThoughtTreeSession.Restore(EngineJson.DeserializeSession(EngineJson.Serialize(session.ToState())));
}
