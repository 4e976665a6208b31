using System.Globalization;

namespace TotService.Storage;

/// <summary>One entry of an owner's usage hash in Redis: <c>bytes:expiresUnixMs</c>, so expired entries are ignored without a scan.</summary>
internal static class UsageEntry
{
    public static string Format(long bytes, long expiresAtUnixMs) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes}:{expiresAtUnixMs}");

    /// <summary>(0, 0), i.e. expired, when the value is malformed.</summary>
    public static (long Bytes, long ExpiresAt) Parse(string value)
    {
        var separator = value.IndexOf(':', StringComparison.Ordinal);
        return separator > 0
            && long.TryParse(value.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)
            && long.TryParse(value.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt)
            ? (bytes, expiresAt)
            : (0, 0);
    }
}
