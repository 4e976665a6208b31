using Microsoft.IdentityModel.Tokens;

namespace TotService.Authentication;

/// <summary>Maps a validation failure to the closed set of <c>result</c> tag values of <c>totmcp.token.validations</c>.</summary>
public static class TokenFailureClassifier
{
    public const string Ok = "ok";
    public const string Missing = "missing";
    public const string Oversized = "oversized";
    public const string MissingSubject = "missing_subject";

    public static string Classify(Exception? exception) => exception switch
    {
        TokenTooLargeException => Oversized,
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not_yet_valid",
        SecurityTokenInvalidAudienceException => "wrong_audience",
        SecurityTokenInvalidIssuerException => "wrong_issuer",
        SecurityTokenSignatureKeyNotFoundException => "unknown_kid",
        SecurityTokenInvalidAlgorithmException => "bad_algorithm",
        SecurityTokenInvalidTypeException => "wrong_type",
        SecurityTokenInvalidSignatureException => "bad_signature",
        SecurityTokenNoExpirationException => "malformed",
        SecurityTokenMalformedException => "malformed",
        InvalidOperationException => "keys_unavailable", // ConfigurationManager: no keys could be loaded yet
        ArgumentException => "malformed",
        _ => "invalid",
    };
}
