using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Engine;
using TotService.Engine.Providers;
using TotService.Engine.Search;
using TotService.Identity;
using TotService.Protocol;
using TotService.Runs;

namespace TotService.Tools;

/// <summary>Server-driven Tree-of-Thoughts runs: start one, solve and wait, cancel.</summary>
[McpServerToolType]
public sealed class RunTools(
    RunRequestBuilder requests,
    RunCommands commands,
    ClientModelRuns clientModelRuns,
    RunResultReader results,
    IOptions<RunOptions> options,
    TimeProvider timeProvider)
{
    public const string StartRunName = "tot_start_run";
    public const string SolveName = "tot_solve";

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    [McpServerTool(Name = StartRunName, Title = "Start a Tree-of-Thoughts run", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false)]
    [Description("Starts a Tree-of-Thoughts search in the background and returns its run id at once; follow it with tot_run_status, " +
        "read it with tot_run_result / tot_run_trace, stop it with tot_cancel_run. Runs belong to the caller and are kept 24 h.")]
    [RequiresScope(TotScopes.Write)]
    public async Task<CallToolResult> StartRun(
        RequestContext<CallToolRequestParams> context,
        [Description(RunArgumentDescriptions.Task)] string task,
        [Description(RunArgumentDescriptions.Constraints)] string? constraints = null,
        [Description(RunArgumentDescriptions.Domain)] string domain = "general",
        [Description(RunArgumentDescriptions.Strategy)] string strategy = "beam",
        [Description(RunArgumentDescriptions.Breadth)] int breadth = 5,
        [Description(RunArgumentDescriptions.MaxDepth)] int maxDepth = 4,
        [Description(RunArgumentDescriptions.MaxNodes)] int maxNodes = 500,
        [Description(RunArgumentDescriptions.TimeBudgetSeconds)] double timeBudgetSeconds = 60,
        [Description(RunArgumentDescriptions.ScoreThreshold)] double scoreThreshold = 1.0,
        [Description(RunArgumentDescriptions.Provider)] string provider = "auto",
        [Description(RunArgumentDescriptions.CandidatesPerNode)] int candidatesPerNode = 5,
        [Description(RunArgumentDescriptions.PruneThreshold)] double pruneThreshold = 0.3,
        [Description(RunArgumentDescriptions.MaxFrontier)] int maxFrontier = 100,
        [Description(RunArgumentDescriptions.ExplorationConstant)] double explorationConstant = 1.0,
        [Description(RunArgumentDescriptions.MaxIterations)] int maxIterations = EngineLimits.MaxIterations,
        CancellationToken cancellationToken = default)
    {
        var access = ClientModelAccess.Of(context);
        var plan = requests.Plan(new RunArguments(task, constraints, domain, strategy, breadth, maxDepth, maxNodes, maxFrontier,
            candidatesPerNode, pruneThreshold, scoreThreshold, timeBudgetSeconds, provider, explorationConstant, maxIterations), access.OffersModel);
        RunRecord record;
        if (plan.Kind == ProviderKind.Sampling && access.PerRequest)
        {
            // The run advances only with the client's answers: through task updates, or through tot_solve's rounds.
            if (!access.OffersTasks)
            {
                throw new McpException(
                    "Without a session a run on your model advances only with your answers: call tot_solve (one round trip per search step), " +
                    $"or declare the {TaskMethods.Extension} extension to get a task.");
            }
            record = (await clientModelRuns.StartAsync(Caller.Owner(context), plan.Problem, plan.Domain, plan.Settings, cancellationToken)).Run;
        }
        else
        {
            record = (await commands.StartAsync(Caller.Owner(context), requests.Build(plan, context.Server), cancellationToken)).Record;
        }
        var view = RunStatusView.From(record);
        return ToolResults.Create(
            $"Started run {view.RunId} (domain {view.Domain}, strategy {view.Strategy}, provider {view.Provider}). Poll tot_run_status with this id.",
            view);
    }

    [McpServerTool(Name = SolveName, Title = "Solve and wait", ReadOnly = false, Destructive = false,
        Idempotent = false, OpenWorld = false)]
    [Description("Runs a Tree-of-Thoughts search and waits for the answer, sending MCP progress notifications (nodes searched out of maxNodes) " +
        "when the request carries a progress token. Waits at most the time budget plus a short grace; if the run is still going then, " +
        "returns its status and the run continues (tot_run_status / tot_run_result). Cancelling the request cancels the run.")]
    [RequiresScope(TotScopes.Write)]
    public async Task<CallToolResult> Solve(
        RequestContext<CallToolRequestParams> context,
        IProgress<ProgressNotificationValue> progress,
        [Description(RunArgumentDescriptions.Task)] string task,
        [Description(RunArgumentDescriptions.Constraints)] string? constraints = null,
        [Description(RunArgumentDescriptions.Domain)] string domain = "general",
        [Description(RunArgumentDescriptions.Strategy)] string strategy = "beam",
        [Description(RunArgumentDescriptions.Breadth)] int breadth = 5,
        [Description(RunArgumentDescriptions.MaxDepth)] int maxDepth = 4,
        [Description(RunArgumentDescriptions.MaxNodes)] int maxNodes = 500,
        [Description(RunArgumentDescriptions.TimeBudgetSeconds)] double timeBudgetSeconds = 60,
        [Description(RunArgumentDescriptions.ScoreThreshold)] double scoreThreshold = 1.0,
        [Description(RunArgumentDescriptions.Provider)] string provider = "auto",
        [Description(RunArgumentDescriptions.CandidatesPerNode)] int candidatesPerNode = 5,
        [Description(RunArgumentDescriptions.PruneThreshold)] double pruneThreshold = 0.3,
        [Description(RunArgumentDescriptions.MaxFrontier)] int maxFrontier = 100,
        [Description(RunArgumentDescriptions.ExplorationConstant)] double explorationConstant = 1.0,
        [Description(RunArgumentDescriptions.MaxIterations)] int maxIterations = EngineLimits.MaxIterations,
        CancellationToken cancellationToken = default)
    {
        var owner = Caller.Owner(context);
        var access = ClientModelAccess.Of(context);
        if (access.PerRequest && context.Params?.RequestState is { } requestState)
        {
            return await RoundResultAsync(access, owner, await clientModelRuns.ContinueAsync(owner, requestState, context.Params.InputResponses, cancellationToken), cancellationToken);
        }
        var plan = requests.Plan(new RunArguments(task, constraints, domain, strategy, breadth, maxDepth, maxNodes, maxFrontier,
            candidatesPerNode, pruneThreshold, scoreThreshold, timeBudgetSeconds, provider, explorationConstant, maxIterations), access.OffersModel);
        if (plan.Kind == ProviderKind.Sampling && access.PerRequest)
        {
            return await RoundResultAsync(access, owner,
                await clientModelRuns.StartAsync(owner, plan.Problem, plan.Domain, plan.Settings, cancellationToken), cancellationToken);
        }
        var request = requests.Build(plan, context.Server);
        var lastReport = long.MinValue;
        void OnProgress(SearchProgress p)
        {
            // Expansions can be sub-millisecond (game24): report at most every ProgressInterval.
            var now = timeProvider.GetTimestamp();
            if (lastReport != long.MinValue && timeProvider.GetElapsedTime(lastReport, now) < ProgressInterval)
            {
                return;
            }
            lastReport = now;
            progress.Report(new ProgressNotificationValue
            {
                Progress = p.NodeCount,
                Total = p.MaxNodes,
                Message = string.Create(CultureInfo.InvariantCulture,
                    $"{p.NodesExpanded} expanded, {p.NodeCount}/{p.MaxNodes} nodes, depth {p.DepthReached}, best {p.BestScore?.ToString("0.###", CultureInfo.InvariantCulture) ?? "none"}"),
            });
        }

        var run = await commands.StartAsync(owner, request, cancellationToken, OnProgress);
        RunRecord final;
        try
        {
            // A client that takes tasks gets one once the run outlasts SolveTaskAfter, instead of a status to poll.
            var wait = request.Settings.TimeBudget + options.Value.SolveGrace;
            final = await run.Completion.WaitAsync(access.OffersTasks && options.Value.SolveTaskAfter < wait ? options.Value.SolveTaskAfter : wait, timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            var status = RunStatusView.From(run.Snapshot());
            return ToolResults.Create($"Still running after the time budget. {status.Describe()} Poll tot_run_status.", status);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            commands.CancelHere(run.Id);
            throw;
        }
        finally
        {
            run.Progressed -= OnProgress;
        }

        // The last word, even when the search was too quick for a throttled report. Awaited (IProgress.Report is
        // fire-and-forget), so it is on the wire before the result closes the response stream.
        if (context.Params?.ProgressToken is { } progressToken)
        {
            await context.Server.NotifyProgressAsync(progressToken, new ProgressNotificationValue
            {
                Progress = final.NodeCount,
                Total = final.Settings.MaxNodes,
                Message = $"{final.State.Name()}: {final.NodesExpanded} expanded, {final.NodeCount} nodes",
            }, cancellationToken: cancellationToken);
        }
        var (record, result) = await results.ReadAsync(final.Id, owner, cancellationToken);
        var view = RunResultView.From(record, result);
        return ToolResults.Create(view.Describe(), view);
    }

    /// <summary>
    /// A round of a run on the model of a client without a session: questions go back as an <c>input_required</c>
    /// result whose <c>requestState</c> is the round's handle; an ended run is answered like any finished run.
    /// </summary>
    private async Task<CallToolResult> RoundResultAsync(ClientModelAccess access, string owner, ModelRound round, CancellationToken cancellationToken)
    {
        if (round is { Questions: { } questions, Handle: { } handle })
        {
            if (!access.OffersModel)
            {
                throw new McpException("This run asks your model, so every call that continues it must declare the sampling capability in _meta.");
            }
            throw new InputRequiredException(SamplingQuestions.ToInputRequests(questions), handle.ToString());
        }
        var (record, result) = await results.ReadAsync(round.Run.Id, owner, cancellationToken);
        var view = RunResultView.From(record, result);
        return ToolResults.Create(view.Describe(), view);
    }

    [McpServerTool(Name = "tot_cancel_run", Title = "Cancel a run", ReadOnly = false, Destructive = true,
        Idempotent = true, OpenWorld = false)]
    [Description("Stops one of the caller's runs, from any replica, within about a second; a finished run is left unchanged. " +
        "The partial result stays readable with tot_run_result.")]
    [RequiresScope(TotScopes.Write)]
    public async Task<CallToolResult> CancelRun(
        RequestContext<CallToolRequestParams> context,
        [Description(RunArgumentDescriptions.RunId)] string runId,
        CancellationToken cancellationToken = default)
    {
        var run = await commands.CancelAsync(runId, Caller.Owner(context), cancellationToken);
        var view = RunStatusView.From(run);
        var text = run.State.IsLive()
            ? $"Cancellation of run {run.Id} requested; it stops within about a second. Check tot_run_status."
            : $"Run {run.Id} had already finished ({view.State}); nothing to cancel.";
        return ToolResults.Create(text, new CancelView(view.RunId, view.State, run.State.IsLive()));
    }

    [Description("The outcome of a cancel request.")]
    public sealed record CancelView(
        [property: Description("Run id.")] string RunId,
        [property: Description("The run's state when the request was made.")] string State,
        [property: Description("True when the run was live and has been asked to stop.")] bool CancelRequested);
}
