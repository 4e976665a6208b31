using System.Collections.Frozen;

namespace TotService.Protocol;

/// <summary>
/// The MCP revisions this server speaks. 2026-07-28 is stateless: every request carries its revision, client info and
/// capabilities in <c>params._meta</c> and names its method (and tool) in headers, so any replica can answer it. The
/// older revisions open a session with <c>initialize</c> and keep it on one replica.
/// </summary>
public static class McpProtocolRevisions
{
    public const string Stateless = "2026-07-28";

    /// <summary>Newest first, as clients pick a fallback from the list an unsupported-version error carries.</summary>
    public static readonly IReadOnlyList<string> All = [Stateless, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

    private static readonly FrozenSet<string> Known = All.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsSupported(string version) => Known.Contains(version);

    public static bool IsStateless(string? version) => string.Equals(version, Stateless, StringComparison.Ordinal);
}
