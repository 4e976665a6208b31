using TotService.Engine.Diagnostics;
using TotService.Engine.Providers;
using TotService.Engine.Search.Frontiers;
using TotService.Engine.Tree;

namespace TotService.Engine.Search;

/// <summary>One search from start to finalized answer: propose, evaluate, select, repeat, finalize.</summary>
internal sealed class SearchRun(
    ThoughtProblem problem,
    string rootState,
    SearchSettings settings,
    ThoughtProviders providers,
    TimeProvider timeProvider,
    IProgress<SearchProgress>? progress,
    Action onNodeExpanded)
{
    private readonly long started = timeProvider.GetTimestamp();
    private readonly ThoughtTree tree = new(problem.Task, problem.Constraints, rootState);
    private int nodesExpanded;
    private int depthReached;

    private TimeSpan Elapsed => timeProvider.GetElapsedTime(started);

    public async Task<SearchResult> ExecuteAsync(CancellationToken cancellationToken)
    {
        // The budget also cancels provider calls in flight, so a slow model cannot overrun it.
        using var budget = new CancellationTokenSource(settings.TimeBudget, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);

        StopReason reason;
        string? error = null;
        try
        {
            reason = await SearchAsync(cancellationToken, linked.Token);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reason = StopReason.Cancelled;
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            reason = StopReason.TimeBudget;
        }
        catch (Exception ex)
        {
            // A failing provider (including its own timeouts) ends the run with a readable reason instead of losing the tree.
            reason = StopReason.ProviderFailed;
            error = ex.Message;
        }

        return await BuildResultAsync(reason, error, linked.Token);
    }

    private async Task<StopReason> SearchAsync(CancellationToken callerToken, CancellationToken token)
    {
        var frontier = Frontier.Create(tree, settings);
        frontier.Add([tree.Root.Id]);
        while (true)
        {
            if (callerToken.IsCancellationRequested)
            {
                return StopReason.Cancelled;
            }

            if (Elapsed >= settings.TimeBudget)
            {
                return StopReason.TimeBudget;
            }

            if (tree.Count - 1 >= settings.MaxNodes)
            {
                return StopReason.MaxNodes;
            }

            if (nodesExpanded >= settings.MaxIterations)
            {
                return StopReason.MaxIterations;
            }

            var batch = providers.ExpandsLevelsTogether ? settings.MaxIterations - nodesExpanded : 1;
            if (!frontier.TryTakeBatch(batch, out var nodeIds))
            {
                return frontier.DepthLimitReached ? StopReason.MaxDepth : StopReason.FrontierExhausted;
            }

            var children = await ExpandAsync(nodeIds, token);
            if (children.Any(c => tree[c].Status == NodeStatus.Solution))
            {
                return StopReason.SolutionFound;
            }

            frontier.Add(children);
        }
    }

    /// <summary>
    /// Proposes for every node of the batch at once, adds the children in node order, then values all the children at
    /// once. The tree changes only between the awaits, on one thread at a time, so concurrent providers never race on it.
    /// </summary>
    private async Task<IReadOnlyList<int>> ExpandAsync(IReadOnlyList<int> nodeIds, CancellationToken token)
    {
        using var activity = EngineActivities.Source.StartActivity("tot.expand");
        activity?.SetTag("tot.node_id", nodeIds[0]);
        activity?.SetTag("tot.node_count", nodeIds.Count);
        var proposals = await Task.WhenAll(nodeIds.Select(id => providers.Generator.ProposeAsync(problem, tree.PathTo(id), settings.CandidatesPerNode, token)));
        var children = new List<int>();
        for (var i = 0; i < nodeIds.Count; i++)
        {
            var nodeId = nodeIds[i];
            var room = settings.MaxNodes - (tree.Count - 1);
            var added = proposals[i].Take(room)
                .Select(c => tree.AddChild(nodeId, c.Thought, c.State, c.StateKey, c.IsFinal).Id)
                .ToList();
            tree.SetStatus(nodeId, added.Count == 0 ? NodeStatus.DeadEnd : NodeStatus.Expanded);
            depthReached = Math.Max(depthReached, added.Count == 0 ? 0 : tree[nodeId].Depth + 1);
            nodesExpanded++;
            onNodeExpanded();
            children.AddRange(added);
        }

        // Siblings are independent, so a model can value them concurrently.
        var evaluations = await Task.WhenAll(children.Select(id => providers.Evaluator.EvaluateAsync(problem, tree.PathTo(id), token)));
        for (var i = 0; i < children.Count; i++)
        {
            var child = tree.SetScore(children[i], evaluations[i].Score, evaluations[i].Rationale);
            if (child.IsFinal && child.Score >= settings.ScoreThreshold)
            {
                tree.SetStatus(child.Id, NodeStatus.Solution);
            }
        }

        if (progress is not null)
        {
            progress.Report(new SearchProgress(nodesExpanded, tree.Count - 1, settings.MaxNodes, depthReached, tree.BestNode()?.Score, Elapsed));
        }
        return children;
    }

    private async Task<SearchResult> BuildResultAsync(StopReason reason, string? error, CancellationToken token)
    {
        var best = tree.BestNode();
        var bestPath = best is null ? [] : tree.PathTo(best.Id);
        var answer = best is null ? null : await FinalizeAsync(bestPath, token);
        var result = new SearchResult
        {
            StopReason = reason,
            Solved = best?.Status == NodeStatus.Solution,
            Answer = answer,
            BestPath = bestPath,
            BestScore = best?.Score,
            NodesExpanded = nodesExpanded,
            NodeCount = tree.Count - 1,
            DepthReached = depthReached,
            Elapsed = Elapsed,
            Usage = providers.Usage.ToSnapshot(),
            Error = error,
            Tree = tree.ToSnapshot(),
        };

        // Every result leaves through here: one that says "not solved" beside a solution (or the reverse) is an engine bug.
        var disagreements = result.Disagreements();
        return disagreements.Count == 0
            ? result
            : throw new InvalidOperationException($"The search result contradicts itself: {string.Join("; ", disagreements)}.");
    }

    private async Task<string> FinalizeAsync(IReadOnlyList<ThoughtNode> bestPath, CancellationToken token)
    {
        try
        {
            return await providers.Finalizer.FinalizeAsync(problem, bestPath, token);
        }
        catch (Exception)
        {
            // The search already succeeded or stopped; a failing finalizer must not lose its result.
            return bestPath[^1].Thought;
        }
    }
}
