namespace TotService.Authentication;

/// <summary>
/// The token of the last <c>Authorization: Bearer</c> header seen, so a client that sends the same header on every
/// request gets the same token string back instead of a new copy each time: JwtBearer cuts the token out of the header
/// with <c>Substring</c> on every request (over a kilobyte for a KeyService token), while Kestrel already hands out
/// the same header string for repeated bytes on a connection. The token is cut exactly as JwtBearer cuts it
/// (scheme compared ignoring case, then trimmed); anything else (no header, several, another scheme) is left to JwtBearer.
/// </summary>
public sealed class BearerTokenMemo
{
    private const string Scheme = "Bearer ";

    private Entry? _last;

    /// <summary>The bearer token in <paramref name="authorization"/>, or null where JwtBearer should read the header itself.</summary>
    public string? TokenOf(string? authorization)
    {
        if (authorization is null)
        {
            return null;
        }
        var last = Volatile.Read(ref _last);
        if (last is not null && string.Equals(last.Header, authorization, StringComparison.Ordinal))
        {
            return last.Token;
        }
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var token = authorization[Scheme.Length..].Trim();
        if (token.Length == 0)
        {
            return null;
        }
        Volatile.Write(ref _last, new Entry(authorization, token));
        return token;
    }

    private sealed record Entry(string Header, string Token);
}
