namespace KeyService.Authorization;

/// <summary>Redirect URI rules: exact string match, except loopback redirects of native apps, which match on any port.</summary>
public static class RedirectUris
{
    /// <summary>
    /// True when <paramref name="presented"/> is one of <paramref name="registered"/>: the exact string, or (RFC 8252
    /// section 7.3) a loopback <c>http</c> URI that differs only in its port, because a native app listens on
    /// whatever port is free at the time.
    /// </summary>
    public static bool Matches(IEnumerable<string> registered, string presented) =>
        registered.Any(r => string.Equals(r, presented, StringComparison.Ordinal) || LoopbackEquals(r, presented));

    /// <summary>An acceptable URI to register: absolute, no fragment, and https, or http on a loopback host, or a private-use scheme.</summary>
    public static bool IsAcceptable(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
        && (uri.Scheme == Uri.UriSchemeHttps || IsLoopback(uri) || (uri.Scheme.Contains('.', StringComparison.Ordinal) && uri.Scheme != Uri.UriSchemeHttp));

    private static bool LoopbackEquals(string registered, string presented) =>
        Uri.TryCreate(registered, UriKind.Absolute, out var r) && Uri.TryCreate(presented, UriKind.Absolute, out var p)
        && IsLoopback(r) && IsLoopback(p)
        && string.Equals(r.Host, p.Host, StringComparison.Ordinal) && p.UserInfo.Length == 0 && p.Fragment.Length == 0
        && string.Equals(r.PathAndQuery, p.PathAndQuery, StringComparison.Ordinal)
        && IsCanonical(presented, p);

    // The string as the parsed URI spells it (no dot segments, escapes or default-port tricks that normalized away).
    private static bool IsCanonical(string presented, Uri uri) =>
        presented == $"http://{uri.Host}:{uri.Port}{uri.PathAndQuery}" || presented == $"http://{uri.Host}{uri.PathAndQuery}";

    private static bool IsLoopback(Uri uri) => uri.Scheme == Uri.UriSchemeHttp && uri.Host is "127.0.0.1" or "[::1]" or "localhost";
}
