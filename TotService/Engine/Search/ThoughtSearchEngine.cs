using TotService.Engine.Diagnostics;
using TotService.Engine.Providers;

namespace TotService.Engine.Search;

/// <summary>
/// Runs server-driven Tree-of-Thoughts searches. Stateless and thread-safe: register as a singleton and
/// call <see cref="RunAsync"/> once per run (each run gets its own tree and frontier).
/// </summary>
public sealed class ThoughtSearchEngine(TimeProvider timeProvider, EngineMetrics metrics)
{
    /// <summary>
    /// Searches until a stop condition holds and returns the result; never throws for provider failures,
    /// the time budget or cancellation (they become <see cref="SearchResult.StopReason"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The problem or settings are invalid (see their <c>Validate</c> methods).</exception>
    public async Task<SearchResult> RunAsync(
        ThoughtProblem problem,
        SearchSettings settings,
        ThoughtProviders providers,
        IProgress<SearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var errors = problem.Validate().Concat(settings.Validate()).ToList();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(settings));
        }

        metrics.RunStarted(settings.Strategy, providers.Name);
        var started = timeProvider.GetTimestamp();
        var outcome = StopReason.ProviderFailed;
        try
        {
            var run = new SearchRun(problem, settings, providers, timeProvider, progress,
                () => metrics.NodeExpanded(settings.Strategy, providers.Name));
            var result = await run.ExecuteAsync(cancellationToken);
            outcome = result.StopReason;
            return result;
        }
        finally
        {
            metrics.RunFinished(settings.Strategy, providers.Name, outcome, timeProvider.GetElapsedTime(started));
        }
    }
}
