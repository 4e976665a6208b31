using System.Text.Json.Serialization;

namespace TotService.Engine.Tree;

/// <summary>Life cycle of a thought node.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeStatus>))]
public enum NodeStatus
{
    /// <summary>Created (and possibly scored) but not expanded yet; leaves stay open.</summary>
    Open,

    /// <summary>Children were generated under it.</summary>
    Expanded,

    /// <summary>Dropped by the strategy (beam cut, frontier eviction, below the pruning threshold, duplicate).</summary>
    Pruned,

    /// <summary>A final answer that reached the score threshold, or marked so by a client.</summary>
    Solution,

    /// <summary>Nothing useful follows from it (no candidates, or marked so by a client).</summary>
    DeadEnd,
}
