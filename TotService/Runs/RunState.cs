using System.Text.Json.Serialization;

namespace TotService.Runs;

/// <summary>Life cycle of a server-driven run. Queued, Running and Waiting are live; the others are final.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunState>))]
public enum RunState
{
    /// <summary>Accepted; waiting for a free execution slot on the replica that accepted it.</summary>
    Queued,

    Running,

    /// <summary>
    /// A run on the model of a client without a session: waiting for the client to answer the current round of model
    /// questions (multi round-trip requests or a task). No replica executes it in between.
    /// </summary>
    Waiting,

    /// <summary>The search ended by a stop condition (solution, limits, exhausted frontier); a result exists.</summary>
    Completed,

    /// <summary>Cancelled by its owner; a partial result exists when the search had started.</summary>
    Cancelled,

    /// <summary>A provider failed, or the executing replica stopped (see <see cref="RunRecord.Error"/>).</summary>
    Failed,
}

public static class RunStates
{
    public static bool IsLive(this RunState state) => state is RunState.Queued or RunState.Running or RunState.Waiting;

    public static string Name(this RunState state) => state.ToString().ToLowerInvariant();
}
