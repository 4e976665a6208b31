using System.ComponentModel;
using System.Globalization;
using TotService.Engine.Diagnostics;
using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Runs;

namespace TotService.Tools;

[Description("A run's state and progress.")]
public sealed record RunStatusView(
    [property: Description("Run id.")] string RunId,
    [property: Description("queued, running, completed, cancelled or failed.")] string State,
    [property: Description("The task.")] string Task,
    [property: Description("Task domain (game24, general).")] string Domain,
    [property: Description("Search strategy (beam, best-first, dfs, mcts).")] string Strategy,
    [property: Description("Thought provider (domain, sampling, endpoint).")] string Provider,
    [property: Description("Nodes expanded so far.")] int NodesExpanded,
    [property: Description("Nodes in the tree, root excluded.")] int NodeCount,
    [property: Description("Deepest level reached.")] int DepthReached,
    [property: Description("Best score so far (0..1).")] double? BestScore,
    [property: Description("Search time so far, in seconds.")] double ElapsedSeconds,
    [property: Description("Why the search stopped, once it has.")] string? StopReason,
    [property: Description("True when a solution was found.")] bool Solved,
    [property: Description("Why the run failed, when it did.")] string? Error,
    [property: Description("When the run was accepted (UTC).")] DateTimeOffset CreatedAt,
    [property: Description("When it started executing (UTC).")] DateTimeOffset? StartedAt,
    [property: Description("When it ended (UTC).")] DateTimeOffset? FinishedAt)
{
    public static RunStatusView From(RunRecord run) => new(
        run.Id, run.State.Name(), run.Task, run.Domain, SearchStrategyNames.ToName(run.Settings.Strategy),
        RunMetrics.ProviderTag(run.Provider), run.NodesExpanded, run.NodeCount, run.DepthReached, run.BestScore,
        Math.Round(run.ElapsedSeconds, 3), run.StopReason is { } reason ? EngineMetrics.TagValue(reason) : null,
        run.Solved, run.Error, run.CreatedAt, run.StartedAt, run.FinishedAt);

    public string Describe() => State switch
    {
        "queued" => $"Run {RunId} is queued (strategy {Strategy}, provider {Provider}).",
        "running" => string.Create(CultureInfo.InvariantCulture,
            $"Run {RunId} is running: {NodesExpanded} nodes expanded, {NodeCount} in the tree, depth {DepthReached}, best score {BestScore?.ToString("0.###", CultureInfo.InvariantCulture) ?? "none"}, {ElapsedSeconds:0.#} s."),
        "failed" => $"Run {RunId} failed: {Error}",
        _ => string.Create(CultureInfo.InvariantCulture,
            $"Run {RunId} is {State} ({StopReason ?? "no stop reason"}){(Solved ? ", solved" : "")}: {NodesExpanded} nodes expanded in {ElapsedSeconds:0.##} s. Read it with tot_run_result."),
    };
}

[Description("One step of the best path.")]
public sealed record PathStepView(
    [property: Description("Node id (0 = root).")] int NodeId,
    [property: Description("Depth (0 = root).")] int Depth,
    [property: Description("The thought (for the root: the task).")] string Thought,
    [property: Description("The state after the thought.")] string State,
    [property: Description("Score 0..1, when scored.")] double? Score,
    [property: Description("open, expanded, pruned, solution or dead_end.")] string Status)
{
    public static PathStepView From(ThoughtNode node) => new(
        node.Id, node.Depth, node.Thought, node.State, node.Score, EngineMetrics.TagValue(node.Status));
}

[Description("Counters of a finished search.")]
public sealed record RunMetricsView(
    [property: Description("Nodes expanded.")] int NodesExpanded,
    [property: Description("Nodes in the tree, root excluded.")] int NodeCount,
    [property: Description("Deepest level reached.")] int DepthReached,
    [property: Description("Search time in seconds.")] double ElapsedSeconds,
    [property: Description("Chat model calls (LLM providers).")] int ModelCalls,
    [property: Description("Model replies that could not be parsed.")] int MalformedOutputs);

[Description("The answer of a finished run and how it was found.")]
public sealed record RunResultView(
    [property: Description("Run id.")] string RunId,
    [property: Description("completed, cancelled or failed.")] string State,
    [property: Description("True when the answer is a verified solution.")] bool Solved,
    [property: Description("The answer built from the best path.")] string? Answer,
    [property: Description("Why the search stopped.")] string StopReason,
    [property: Description("Best score (0..1).")] double? BestScore,
    [property: Description("The best path, root first, with scores.")] IReadOnlyList<PathStepView> BestPath,
    [property: Description("Search counters.")] RunMetricsView Metrics,
    [property: Description("Why the run failed, when it did.")] string? Error)
{
    public static RunResultView From(RunRecord run, SearchResult result) => new(
        run.Id, run.State.Name(), result.Solved, result.Answer, EngineMetrics.TagValue(result.StopReason), result.BestScore,
        [.. result.BestPath.Select(PathStepView.From)],
        new RunMetricsView(result.NodesExpanded, result.NodeCount, result.DepthReached, Math.Round(result.Elapsed.TotalSeconds, 3),
            result.Usage.ModelCalls, result.Usage.MalformedOutputs),
        run.Error ?? result.Error);

    public string Describe()
    {
        var path = string.Join(" -> ", BestPath.Skip(1).Select(step => step.Thought));
        return string.Create(CultureInfo.InvariantCulture,
            $"Run {RunId} {State} ({StopReason}), {(Solved ? "solved" : "not solved")}. Answer: {Answer ?? "(none)"}\nBest path: {(path.Length > 0 ? path : "(root only)")}\n{Metrics.NodesExpanded} nodes expanded, {Metrics.NodeCount} nodes, depth {Metrics.DepthReached}, {Metrics.ElapsedSeconds:0.###} s, {Metrics.ModelCalls} model calls.");
    }
}
