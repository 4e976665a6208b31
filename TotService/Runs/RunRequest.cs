using TotService.Engine.Providers;
using TotService.Engine.Search;

namespace TotService.Runs;

/// <summary>A validated request to start a run, with the providers chosen for it.</summary>
public sealed record RunRequest(
    ThoughtProblem Problem,
    string Domain,
    SearchSettings Settings,
    ProviderKind Provider,
    ThoughtProviders Providers)
{
    /// <summary>Set for sampling runs, whose model requests go through it.</summary>
    public SamplingGate? SamplingGate { get; init; }
}
