using System.ComponentModel.DataAnnotations;

namespace TotService.Trees;

/// <summary>What one client may store in client-driven trees (section <c>TotService:Trees</c>); bytes are stored UTF-8.</summary>
public sealed class TreeOptions
{
    public const string SectionName = "TotService:Trees";

    /// <summary>Largest thought, rationale or task text, in UTF-8 bytes.</summary>
    [Range(256, 1024 * 1024)]
    public int MaxThoughtBytes { get; set; } = 16 * 1024;

    /// <summary>Largest stored tree (header and every node).</summary>
    [Range(4 * 1024, 256L * 1024 * 1024)]
    public long MaxTreeBytes { get; set; } = 1024 * 1024;

    /// <summary>Live trees one client (token <c>sub</c>) may keep.</summary>
    [Range(1, 100_000)]
    public int MaxTreesPerClient { get; set; } = 50;

    /// <summary>Bytes of all live trees of one client.</summary>
    [Range(4 * 1024, 64L * 1024 * 1024 * 1024)]
    public long MaxStoredBytesPerClient { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest page of <c>tot_tree_view</c> (JSON); larger trees are paged.</summary>
    [Range(4 * 1024, 64 * 1024 * 1024)]
    public int MaxViewBytes { get; set; } = 256 * 1024;
}
