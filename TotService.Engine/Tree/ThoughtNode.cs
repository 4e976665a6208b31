namespace TotService.Engine.Tree;

/// <summary>
/// One thought in the tree. Immutable: the tree replaces a node when its score or status changes,
/// so snapshots can be handed out and serialised without copying.
/// </summary>
/// <param name="Id">Sequential id; the root is 0.</param>
/// <param name="ParentId">Null only for the root.</param>
/// <param name="Depth">Number of steps from the root.</param>
/// <param name="Thought">The step taken to get here (for the root: the task).</param>
/// <param name="State">The state after the step, in the domain's own notation.</param>
/// <param name="StateKey">Normalised state used to recognise duplicates.</param>
/// <param name="IsFinal">The state is a complete answer attempt and is never expanded.</param>
public sealed record ThoughtNode(
    int Id,
    int? ParentId,
    int Depth,
    string Thought,
    string State,
    string StateKey,
    bool IsFinal)
{
    /// <summary>Value judgement normalised to 0..1 (1 = certainly leads to a correct answer); null until evaluated.</summary>
    public double? Score { get; init; }

    public NodeStatus Status { get; init; } = NodeStatus.Open;

    /// <summary>Optional short explanation from the evaluator or the client.</summary>
    public string? Rationale { get; init; }
}
