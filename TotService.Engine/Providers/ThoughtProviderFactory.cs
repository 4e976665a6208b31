using Microsoft.Extensions.AI;
using TotService.Engine.Diagnostics;
using TotService.Engine.Domains;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Providers.Llm;

namespace TotService.Engine.Providers;

/// <summary>Builds the providers for one run once <see cref="ProviderSelector"/> has chosen a kind.</summary>
public sealed class ThoughtProviderFactory(Game24Solver game24Solver, EngineMetrics metrics, ILogger<ThoughtProviderFactory> logger)
{
    /// <param name="chatClient">Required for <see cref="ProviderKind.Sampling"/> and <see cref="ProviderKind.Endpoint"/>.</param>
    /// <exception cref="ArgumentException">The kind does not fit the domain, or no chat client was given for a model kind.</exception>
    public ThoughtProviders Create(ProviderKind kind, string domain, IChatClient? chatClient = null) => kind switch
    {
        ProviderKind.Domain when ThoughtDomains.HasSolver(domain) => Game24Providers.Create(game24Solver),
        ProviderKind.Domain => throw new ArgumentException($"Domain '{domain}' has no built-in solver.", nameof(domain)),
        ProviderKind.Sampling or ProviderKind.Endpoint when chatClient is not null =>
            LlmThoughtProviders.Create(chatClient, EngineMetrics.TagValue(kind), metrics, domain: domain, logger: logger),
        _ => throw new ArgumentException($"Provider '{EngineMetrics.TagValue(kind)}' needs a chat client.", nameof(chatClient)),
    };
}
