using System.Text.RegularExpressions;

namespace TotService.Runs;

/// <summary>Run ids: <c>run_</c> + 32 hex digits, unguessable, checked before any store lookup.</summary>
public static partial class RunIds
{
    public static string New() => "run_" + Guid.NewGuid().ToString("N");

    public static bool IsWellFormed(string? runId) => runId is not null && Pattern().IsMatch(runId);

    /// <summary>The id as safe to echo back (bounded, printable).</summary>
    public static string Display(string? id) =>
        id is null ? "" : new string([.. id.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex("^run_[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
