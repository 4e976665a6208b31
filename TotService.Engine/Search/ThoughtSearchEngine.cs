using System.Diagnostics;
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
    /// <exception cref="ArgumentException">
    /// The problem or settings are invalid (see their <c>Validate</c> methods), or the generator rejects the task
    /// (e.g. a Game of 24 task that is not a list of numbers).
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// The result would contradict itself (see <see cref="SearchResult.Disagreements"/>): an engine bug, never returned.
    /// </exception>
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

        var rootState = InitialState(problem, providers);
        using var activity = EngineActivities.Source.StartActivity("tot.search");
        activity?.SetTag("tot.strategy", EngineMetrics.TagValue(settings.Strategy));
        activity?.SetTag("tot.provider", providers.Name);
        metrics.RunStarted(settings.Strategy, providers.Name);
        var started = timeProvider.GetTimestamp();
        var outcome = StopReason.ProviderFailed;
        try
        {
            var run = new SearchRun(problem, rootState, settings, providers, timeProvider, progress,
                () => metrics.NodeExpanded(settings.Strategy, providers.Name));
            var result = await run.ExecuteAsync(cancellationToken);
            outcome = result.StopReason;
            activity?.SetTag("tot.nodes_expanded", result.NodesExpanded);
            return result;
        }
        finally
        {
            activity?.SetTag("tot.outcome", EngineMetrics.TagValue(outcome));
            if (outcome == StopReason.ProviderFailed)
            {
                activity?.SetStatus(ActivityStatusCode.Error);
            }

            metrics.RunFinished(settings.Strategy, providers.Name, outcome, timeProvider.GetElapsedTime(started));
        }
    }

    private static string InitialState(ThoughtProblem problem, ThoughtProviders providers)
    {
        try
        {
            return providers.Generator.InitialState(problem);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException(ex.Message, nameof(problem), ex);
        }
    }
}
