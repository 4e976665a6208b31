using System.Text.RegularExpressions;

namespace TotService.Trees;

/// <summary>Tree ids: <c>tree_</c> + 32 hex digits, checked before any store lookup.</summary>
public static partial class TreeIds
{
    public static string New() => "tree_" + Guid.NewGuid().ToString("N");

    public static bool IsWellFormed(string? treeId) => treeId is not null && Pattern().IsMatch(treeId);

    [GeneratedRegex("^tree_[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
