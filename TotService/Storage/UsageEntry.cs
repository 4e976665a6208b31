using System.Globalization;
using StackExchange.Redis;

namespace TotService.Storage;

/// <summary>
/// An owner's usage hash in Redis (trees or run results): one entry per item, <c>bytes:expiresUnixMs</c>, so expired
/// entries are ignored without a scan, and a revision field that every write checks and bumps.
/// </summary>
internal static class UsageEntry
{
    public const string RevisionField = "revision";

    /// <summary>The hash as of <paramref name="nowUnixMs"/>: live entries' bytes, the revision, and entries past their expiry.</summary>
    public static async Task<(Dictionary<string, long> Live, long Revision, List<string> Expired)> ReadAsync(IDatabase db, RedisKey key, long nowUnixMs)
    {
        var live = new Dictionary<string, long>(StringComparer.Ordinal);
        var expired = new List<string>();
        long revision = 0;
        foreach (var entry in await db.HashGetAllAsync(key))
        {
            var name = entry.Name.ToString();
            if (name == RevisionField)
            {
                revision = (long)entry.Value;
                continue;
            }
            var (bytes, expiresAt) = Parse(entry.Value.ToString());
            if (expiresAt > nowUnixMs)
            {
                live[name] = bytes;
            }
            else
            {
                expired.Add(name);
            }
        }
        return (live, revision, expired);
    }

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
