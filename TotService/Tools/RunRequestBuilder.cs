using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using TotService.Engine.Domains;
using TotService.Engine.Providers;
using TotService.Engine.Providers.Llm;
using TotService.Runs;

namespace TotService.Tools;

/// <summary>
/// Validates a run request and builds its providers. A sampling run asks the calling client's model through this
/// session, so it executes on the replica that holds the session (runs always execute where they were started).
/// </summary>
public sealed class RunRequestBuilder(
    ThoughtProviderFactory providerFactory, IOptions<LlmProviderOptions> llmOptions, IOptions<RunOptions> runOptions, TimeProvider timeProvider)
{
    public RunRequest Build(RunArguments arguments, McpServer server)
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
            ClientSupportsSampling(server),
            llmOptions.Value.IsConfigured));
        if (selection.Error is { } providerError)
        {
            errors.Add(providerError);
        }
        SearchArguments.ThrowIfAny(errors);

        var kind = selection.Kind!.Value;
        var samplingGate = kind == ProviderKind.Sampling ? new SamplingGate() : null;
        IChatClient? chatClient = kind switch
        {
            ProviderKind.Sampling => new SamplingChatClient(SamplingChatClient(server), samplingGate!, runOptions.Value.SamplingTimeout, timeProvider),
            ProviderKind.Endpoint => OpenAiChatClientFactory.Create(llmOptions.Value),
            _ => null,
        };
        try
        {
            return new RunRequest(problem, domain, settings, kind, providerFactory.Create(kind, domain, chatClient)) { SamplingGate = samplingGate };
        }
        catch (ArgumentException ex)
        {
            throw new McpException(ex.Message);
        }
    }

    // MCP sampling is deprecated by the 2026-07-28 revision (MCP9005) but it is how a client lends its own model to a run, and the clients
    // this server serves (up to 2025-11-25) support it; the suppression is confined to these two members.
#pragma warning disable MCP9005
    private static bool ClientSupportsSampling(McpServer server) => server.ClientCapabilities?.Sampling is not null;

    private static IChatClient SamplingChatClient(McpServer server) => server.AsSamplingChatClient();
#pragma warning restore MCP9005
}

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
