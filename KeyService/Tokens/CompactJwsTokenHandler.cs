using System.Buffers;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace KeyService.Tokens;

/// <summary>
/// The one validation every token KeyService accepts goes through: before any parsing, the token must be a JWS in
/// exact compact serialization (RFC 7515 section 7.1): three non-empty base64url segments, no padding, nothing else.
/// </summary>
/// <remarks>
/// <see cref="JsonWebTokenHandler"/> alone decodes segments leniently (a token with <c>==</c> appended validated), so
/// one signed token had several spellings; TotService refuses every spelling but the exact one, and so does this.
/// </remarks>
public sealed class CompactJwsTokenHandler : JsonWebTokenHandler
{
    /// <summary>An access token of this service is about a kilobyte; anything far beyond is not one.</summary>
    public const int MaxLength = 8 * 1024;

    private static readonly SearchValues<char> Base64UrlCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>Whether <paramref name="token"/> has the exact JWS compact form (untrusted input, checked before parsing).</summary>
    public static bool IsCompactJws(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || token.Length > MaxLength)
        {
            return false;
        }
        var segments = 0;
        foreach (var range in token.Split('.'))
        {
            var segment = token[range];
            if (++segments > 3 || !IsBase64Url(segment))
            {
                return false;
            }
        }
        return segments == 3;
    }

    public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters) =>
        token is not null && !IsCompactJws(token)
            ? Task.FromResult(new TokenValidationResult
            {
                IsValid = false,
                Exception = new SecurityTokenMalformedException("The token is not a JWS in exact compact serialization."),
            })
            : base.ValidateTokenAsync(token!, validationParameters);

    // Base64url without padding never leaves a single character in a final group (length % 4 == 1).
    private static bool IsBase64Url(ReadOnlySpan<char> segment) =>
        !segment.IsEmpty && segment.IndexOfAnyExcept(Base64UrlCharacters) < 0 && segment.Length % 4 != 1;
}
