using TotService.Engine.Sessions;

namespace TotService.Trees;

/// <summary>A client-driven tree as stored: its owner, a version for optimistic concurrency, and the session state.</summary>
public sealed record TreeRecord(
    string Id,
    string Owner,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ThoughtTreeSessionState Session);
