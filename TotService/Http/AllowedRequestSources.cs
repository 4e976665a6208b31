using System.Collections.Frozen;
using TotService.Configuration;

namespace TotService.Http;

/// <summary>
/// The Host names and Origins TotService accepts (MCP transport spec: DNS rebinding protection), worked out once from
/// the options: hosts from <see cref="TotServiceOptions.AllowedHosts"/> (exact names, <c>*.suffix</c> or <c>*</c>) or,
/// when none are set, the audience's host plus loopback; origins: the audience's own origin, those in
/// <see cref="TotServiceOptions.AllowedOrigins"/> and, in Development only, loopback origins on any port (a browser-based
/// MCP client on the developer's machine). Comparisons are ordinal ignoring case.
/// </summary>
public sealed class AllowedRequestSources
{
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    private readonly bool _anyHost;
    private readonly FrozenSet<string> _exactHosts;
    private readonly string[] _hostSuffixes;
    private readonly FrozenSet<string> _origins;
    private readonly bool _loopbackOrigins;

    public AllowedRequestSources(TotServiceOptions options, bool isDevelopment)
    {
        IEnumerable<string> hosts = options.AllowedHosts.Length > 0
            ? options.AllowedHosts
            : [new Uri(options.Audience).Host, .. LoopbackHosts];
        _anyHost = hosts.Contains("*");
        _exactHosts = hosts.Where(h => h != "*" && !h.StartsWith("*.", StringComparison.Ordinal)).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _hostSuffixes = [.. hosts.Where(h => h.StartsWith("*.", StringComparison.Ordinal)).Select(h => h[1..])];
        _origins = options.AllowedOrigins.Select(o => o.TrimEnd('/'))
            .Append(new Uri(options.Audience).GetLeftPart(UriPartial.Authority))
            .ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _loopbackOrigins = isDevelopment;
    }

    /// <summary><paramref name="host"/> is the Host header's value, with or without a port.</summary>
    public bool IsAllowedHost(ReadOnlySpan<char> host)
    {
        var name = HostName(host);
        if (name.IsEmpty)
        {
            return false;
        }
        if (_anyHost || _exactHosts.GetAlternateLookup<ReadOnlySpan<char>>().Contains(name))
        {
            return true;
        }
        foreach (var suffix in _hostSuffixes)
        {
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    public bool IsAllowedOrigin(ReadOnlySpan<char> origin) =>
        _origins.GetAlternateLookup<ReadOnlySpan<char>>().Contains(origin.TrimEnd('/'))
        || (_loopbackOrigins && IsLoopbackOrigin(origin));

    /// <summary><c>http(s)://localhost|127.0.0.1|[::1][:port]</c> and nothing after the authority.</summary>
    private static bool IsLoopbackOrigin(ReadOnlySpan<char> origin)
    {
        var rest = origin.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? origin[7..]
            : origin.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? origin[8..]
            : [];
        if (rest.IsEmpty || rest.IndexOfAny('/', '@') >= 0)
        {
            return false;
        }
        var host = HostName(rest);
        var port = rest[host.Length..];
        if (!port.IsEmpty && (port[0] != ':' || port.Length == 1 || !int.TryParse(port[1..], System.Globalization.NumberStyles.None, null, out var number) || number > 65535))
        {
            return false;
        }
        foreach (var loopback in LoopbackHosts)
        {
            if (host.Equals(loopback, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The host name without the port; IPv6 literals keep their brackets (<c>[::1]:80</c> gives <c>[::1]</c>).</summary>
    internal static ReadOnlySpan<char> HostName(ReadOnlySpan<char> host)
    {
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            return close < 0 ? [] : host[..(close + 1)];
        }
        var colon = host.IndexOf(':');
        return colon < 0 ? host : host[..colon];
    }
}
