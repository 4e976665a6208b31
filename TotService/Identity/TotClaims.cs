namespace TotService.Identity;

/// <summary>Claim names as they appear in KeyService tokens (inbound claim mapping is off).</summary>
public static class TotClaims
{
    public const string Subject = "sub";
    public const string ClientId = "client_id";
    public const string Scope = "scope";

    /// <summary>The only token type KeyService issues (RFC 9068).</summary>
    public const string AccessTokenType = "at+jwt";
}
