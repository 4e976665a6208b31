using System.Buffers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace TotService.Authentication;

/// <summary>
/// The one spelling of a KeyService token TotService accepts: RFC 7515 compact serialization (base64url segments joined
/// by '.', no '=' padding, nothing else), within the size cap, and without critical header extensions. Checked before
/// parsing where the text alone decides, so one signed token has exactly one accepted spelling.
/// </summary>
public static class JwsFormRules
{
    private static readonly SearchValues<char> CompactJwsCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>Whether <paramref name="token"/> could be a JWS in compact serialization at all (untrusted input).</summary>
    public static bool IsCompactJws(ReadOnlySpan<char> token) =>
        !token.IsEmpty && token.IndexOfAnyExcept(CompactJwsCharacters) < 0;

    /// <summary>Why the text of <paramref name="token"/> is refused before any parsing, or null when it may be parsed.</summary>
    public static SecurityTokenMalformedException? RefusalBeforeParsing(string token, int maximumBytes) =>
        token.Length > maximumBytes ? new TokenTooLargeException()
        : !IsCompactJws(token) ? new SecurityTokenMalformedException("The token is not base64url-encoded JWS compact serialization.")
        : null;

    /// <summary>
    /// Why a validly signed token is refused anyway, or null. RFC 7515 section 4.1.11: extensions listed in <c>crit</c>
    /// must be understood; KeyService uses none, so none are.
    /// </summary>
    public static SecurityTokenMalformedException? RefusalAfterValidation(JsonWebToken token) =>
        token.TryGetHeaderValue<object>("crit", out _) ? new SecurityTokenMalformedException("The token names critical header extensions.") : null;
}

/// <summary>The bearer token is larger than <c>TotService:MaxTokenBytes</c>; refused before parsing.</summary>
public sealed class TokenTooLargeException() : SecurityTokenMalformedException("The bearer token is larger than allowed.");
