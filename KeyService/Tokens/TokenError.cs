namespace KeyService.Tokens;

/// <summary>An RFC 6749 section 5.2 error response (plus the HTTP details that go with it).</summary>
public sealed record TokenError(string Error, string Description, int StatusCode = StatusCodes.Status400BadRequest)
{
    /// <summary>Seconds before retrying, for rate-limited or not-yet-ready responses.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public static TokenError InvalidRequest(string description) => new("invalid_request", description);

    public static TokenError InvalidClient(string description) => new("invalid_client", description, StatusCodes.Status401Unauthorized);

    public static TokenError InvalidScope(string description) => new("invalid_scope", description);

    public static TokenError InvalidTarget(string description) => new("invalid_target", description);

    public static TokenError UnsupportedGrantType(string description) => new("unsupported_grant_type", description);
}
