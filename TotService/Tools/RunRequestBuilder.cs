using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using TotService.Engine.Domains;
using TotService.Engine.Providers;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;
using TotService.Runs;

namespace TotService.Tools;

/// <summary>
/// Validates a run request, chooses its provider and builds the providers of a run that executes on this replica. A
/// sampling run of a session asks the calling client's model through that session, so it executes on the replica that
/// holds the session; a run on the model of a client without a session goes through <see cref="ClientModelRuns"/>.
/// </summary>
public sealed class RunRequestBuilder(
    ThoughtProviderFactory providerFactory, IOptions<LlmProviderOptions> llmOptions, IOptions<RunOptions> runOptions, TimeProvider timeProvider)
{
    /// <summary>Validates the arguments and chooses the provider; <paramref name="clientOffersModel"/> says whether the client declared sampling.</summary>
    public RunPlan Plan(RunArguments arguments, bool clientOffersModel)
    {
        var errors = new List<string>();
        var domain = SearchArguments.Domain(errors, arguments.Domain);
        var (problem, settings) = SearchArguments.Parse(errors, arguments.Task, arguments.Constraints, arguments.Strategy,
            arguments.Breadth, arguments.MaxDepth, arguments.MaxNodes, arguments.MaxFrontier, arguments.CandidatesPerNode,
            arguments.PruneThreshold, arguments.ScoreThreshold, arguments.TimeBudgetSeconds, arguments.ExplorationConstant, arguments.MaxIterations);
        if (errors.Count == 0)
        {
            errors.AddRange(ThoughtDomains.ValidateTask(domain, problem));
        }

        var selection = ProviderSelector.Select(new ProviderAvailability(
            arguments.Provider ?? ProviderSelector.Auto,
            domain,
            ThoughtDomains.HasSolver(domain),
            clientOffersModel,
            llmOptions.Value.IsConfigured));
        if (selection.Error is { } providerError)
        {
            errors.Add(providerError);
        }
        SearchArguments.ThrowIfAny(errors);
        return new RunPlan(problem, domain, settings, selection.Kind!.Value);
    }

    /// <summary>The providers of a run that executes on this replica; a sampling run asks through <paramref name="server"/>'s session.</summary>
    public RunRequest Build(RunPlan plan, McpServer server)
    {
        var samplingGate = plan.Kind == ProviderKind.Sampling ? new SamplingGate() : null;
        IChatClient? chatClient = plan.Kind switch
        {
            ProviderKind.Sampling => new SamplingChatClient(SamplingChatClient(server), samplingGate!, runOptions.Value.SamplingTimeout, timeProvider),
            ProviderKind.Endpoint => OpenAiChatClientFactory.Create(llmOptions.Value),
            _ => null,
        };
        try
        {
            return new RunRequest(plan.Problem, plan.Domain, plan.Settings, plan.Kind, providerFactory.Create(plan.Kind, plan.Domain, chatClient)) { SamplingGate = samplingGate };
        }
        catch (ArgumentException ex)
        {
            throw new McpException(ex.Message);
        }
    }

    // MCP sampling is deprecated by the 2026-07-28 revision (MCP9005) but it is how a client lends its own model to a run, and the clients
    // sessions of this server (up to 2025-11-25) support it; the suppression is confined to this member.
#pragma warning disable MCP9005
    private static IChatClient SamplingChatClient(McpServer server) => server.AsSamplingChatClient();
#pragma warning restore MCP9005
}

/// <summary>A validated run request and the provider chosen for it.</summary>
public sealed record RunPlan(ThoughtProblem Problem, string Domain, SearchSettings Settings, ProviderKind Kind);

/// <summary>Raw arguments shared by <c>tot_start_run</c> and <c>tot_solve</c>.</summary>
public sealed record RunArguments(
    string? Task,
    string? Constraints,
    string? Domain,
    string? Strategy,
    int Breadth,
    int MaxDepth,
    int MaxNodes,
    int MaxFrontier,
    int CandidatesPerNode,
    double PruneThreshold,
    double ScoreThreshold,
    double TimeBudgetSeconds,
    string? Provider,
    double ExplorationConstant = 1.0,
    int MaxIterations = TotService.Engine.EngineLimits.MaxIterations);
