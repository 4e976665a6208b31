using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace TotService.Authentication;

/// <summary>A bearer token from the Authorization header and the <c>kid</c> its header names (untrusted until validated).</summary>
public sealed record BearerToken(string Token, string? KeyId);

/// <summary>
/// Reads the bearer token from the <c>Authorization</c> header only (never the query string or a form field).
/// </summary>
public sealed class BearerTokenReader
{
    private const string BearerPrefix = "Bearer ";
    private const int MaxHeaderChars = 2048;

    /// <summary>
    /// The bearer token and its <c>kid</c> per Authorization header string. Kestrel hands out the same string instance
    /// while a connection repeats a header value, so a client reusing its token costs a lookup here instead of a
    /// copy of the token and a header decode per request. Entries go with the header strings (weak keys).
    /// </summary>
    private readonly ConditionalWeakTable<string, BearerToken> _tokens = [];

    /// <summary>Null when the request carries no bearer token.</summary>
    public BearerToken? Read(HttpRequest request)
    {
        string? authorization = request.Headers[HeaderNames.Authorization];
        if (authorization is null || !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (_tokens.TryGetValue(authorization, out var known))
        {
            return known;
        }
        var token = authorization[BearerPrefix.Length..].Trim();
        if (token.Length == 0)
        {
            return null;
        }
        var bearer = new BearerToken(token, TryReadKeyId(token));
        _tokens.AddOrUpdate(authorization, bearer);
        return bearer;
    }

    /// <summary>
    /// The header's <c>kid</c>, decoded from the first segment only: parsing the whole token here (payload claims
    /// included) was a tenth of the cost of an MCP request (docs/BENCHMARKS.md). Nothing here is trusted; it only
    /// decides whether a key refresh could help.
    /// </summary>
    private static string? TryReadKeyId(string token)
    {
        var end = token.IndexOf('.', StringComparison.Ordinal);
        if (end <= 0 || end > MaxHeaderChars)
        {
            return null;
        }
        Span<byte> header = stackalloc byte[MaxHeaderChars * 3 / 4 + 3];
        if (!Base64Url.TryDecodeFromChars(token.AsSpan(0, end), header, out var length))
        {
            return null;
        }
        try
        {
            var reader = new Utf8JsonReader(header[..length]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKeyId = reader.ValueTextEquals("kid"u8);
                if (!reader.Read())
                {
                    return null;
                }
                if (isKeyId)
                {
                    return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                reader.Skip();
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON, or a kid that is not valid text (GetString throws InvalidOperationException): no kid to use.
        }
        return null;
    }
}
