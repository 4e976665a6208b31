using System.Collections.Frozen;
using TotService.Configuration;

namespace TotService.Hardening;

/// <summary>
/// The Host names and Origins TotService accepts (MCP transport spec: DNS rebinding protection), worked out once from
/// the options: hosts from <see cref="TotServiceOptions.AllowedHosts"/> (exact names, <c>*.suffix</c> or <c>*</c>) or,
/// when none are set, the audience's host plus loopback; origins from <see cref="TotServiceOptions.AllowedOrigins"/>.
/// Comparisons are ordinal ignoring case and allocate nothing per request.
/// </summary>
public sealed class AllowedRequestSources
{
    private static readonly string[] LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    private readonly bool _anyHost;
    private readonly FrozenSet<string> _exactHosts;
    private readonly string[] _hostSuffixes;
    private readonly FrozenSet<string> _origins;

    public AllowedRequestSources(TotServiceOptions options)
    {
        IEnumerable<string> hosts = options.AllowedHosts.Length > 0
            ? options.AllowedHosts
            : [new Uri(options.Audience).Host, .. LoopbackHosts];
        _anyHost = hosts.Contains("*");
        _exactHosts = hosts.Where(h => h != "*" && !h.StartsWith("*.", StringComparison.Ordinal)).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _hostSuffixes = [.. hosts.Where(h => h.StartsWith("*.", StringComparison.Ordinal)).Select(h => h[1..])];
        _origins = options.AllowedOrigins.Select(o => o.TrimEnd('/')).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
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
        _origins.GetAlternateLookup<ReadOnlySpan<char>>().Contains(origin.TrimEnd('/'));

    /// <summary>The host name without the port; IPv6 literals keep their brackets (<c>[::1]:80</c> gives <c>[::1]</c>).</summary>
    private static ReadOnlySpan<char> HostName(ReadOnlySpan<char> host)
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
