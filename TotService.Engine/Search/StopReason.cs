using System.Text.Json.Serialization;

namespace TotService.Engine.Search;

/// <summary>Why a search ended. Every run ends with exactly one.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<StopReason>))]
public enum StopReason
{
    /// <summary>A final answer reached the score threshold.</summary>
    SolutionFound,

    /// <summary>The tree reached <see cref="SearchSettings.MaxNodes"/>.</summary>
    MaxNodes,

    /// <summary>Nothing left to expand except leaves at <see cref="SearchSettings.MaxDepth"/>.</summary>
    MaxDepth,

    /// <summary><see cref="SearchSettings.TimeBudget"/> ran out.</summary>
    TimeBudget,

    /// <summary>No open node remained (all expanded, pruned, final or dead ends) before the depth limit.</summary>
    FrontierExhausted,

    /// <summary>The search made <see cref="SearchSettings.MaxIterations"/> expansions (MCTS iterations).</summary>
    MaxIterations,

    /// <summary>The caller's cancellation token fired.</summary>
    Cancelled,

    /// <summary>A provider failed (e.g. the model endpoint was unreachable); see <see cref="SearchResult.Error"/>.</summary>
    ProviderFailed,
}
