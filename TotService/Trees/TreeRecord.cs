using TotService.Engine.Sessions;

namespace TotService.Trees;

/// <summary>A client-driven tree as loaded: its owner, its version (bumped by every write), its stored size and the session state.</summary>
public sealed record TreeRecord(
    string Id,
    string Owner,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long StoredBytes,
    ThoughtTreeSessionState Session);
