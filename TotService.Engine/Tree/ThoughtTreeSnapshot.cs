namespace TotService.Engine.Tree;

/// <summary>
/// The whole tree as plain data: what is stored (e.g. in Redis) and returned to clients.
/// Serialise with <see cref="Rendering.EngineJson"/> for a stable camelCase shape.
/// </summary>
public sealed record ThoughtTreeSnapshot(string Task, string? Constraints, IReadOnlyList<ThoughtNode> Nodes);
