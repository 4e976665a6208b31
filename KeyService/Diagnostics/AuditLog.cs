namespace KeyService.Diagnostics;

/// <summary>
/// Audit events under the log category <see cref="Category"/>, exported with the other logs (OTLP): who obtained
/// which token, who was refused, and who changed the key ring. Event ids and names are stable (operators alert and
/// query on them). Fields are identifiers only: never a client secret, an access token or key material.
/// </summary>
public sealed partial class AuditLog(ILoggerFactory loggerFactory)
{
    public const string Category = "KeyService.Audit";

    /// <summary>The actor of changes nobody asked for (first key, scheduled rotation, removal, repair).</summary>
    public const string SystemActor = "system";

    /// <summary>Caller-supplied values (requested scope and resource) are cut here so they cannot flood the log.</summary>
    private const int MaxRequestedLength = 256;

    private readonly ILogger _logger = loggerFactory.CreateLogger(Category);

    [LoggerMessage(EventId = 2001, EventName = "TokenIssued", Level = LogLevel.Information,
        Message = "Token {Jti} issued to {ClientId} for {Audience} with scope '{Scope}' signed by {KeyId} from {Source} ({Result})")]
    private partial void LogTokenIssued(string clientId, string scope, string audience, string result, string source, string jti, string keyId);

    [LoggerMessage(EventId = 2002, EventName = "TokenRefused", Level = LogLevel.Warning,
        Message = "Token refused to {ClientId} for {Audience} with scope '{Scope}' from {Source}: {Result} ({Status})")]
    private partial void LogTokenRefused(string clientId, string scope, string audience, string result, int status, string source);

    [LoggerMessage(EventId = 2101, EventName = "KeyCreated", Level = LogLevel.Information,
        Message = "Key {KeyId} created ({Reason}) by {Who}: {State}, signs from {Activates:O}, retires {Retires:O}")]
    public partial void KeyCreated(string keyId, string state, string reason, DateTimeOffset activates, DateTimeOffset retires, string who);

    [LoggerMessage(EventId = 2102, EventName = "KeyRemoved", Level = LogLevel.Information,
        Message = "Key {KeyId} removed from the ring after its grace period by {Who} ({State})")]
    public partial void KeyRemoved(string keyId, string state, string who);

    [LoggerMessage(EventId = 2103, EventName = "KeyWrittenBack", Level = LogLevel.Warning,
        Message = "Key {KeyId} written back to the store, which had lost it, by {Who} ({State})")]
    public partial void KeyWrittenBack(string keyId, string state, string who);

    [LoggerMessage(EventId = 2201, EventName = "AdminKeysListed", Level = LogLevel.Information,
        Message = "Key ring listed by {Who} from {Source}")]
    public partial void AdminKeysListed(string who, string source);

    [LoggerMessage(EventId = 2202, EventName = "AdminRotationRequested", Level = LogLevel.Information,
        Message = "Rotation requested by {Who} from {Source}: {Result}, pending key {KeyId}")]
    public partial void AdminRotationRequested(string who, string source, string result, string? keyId);

    [LoggerMessage(EventId = 2203, EventName = "KeyRingBackedUp", Level = LogLevel.Information,
        Message = "Key ring backed up by {Who} from {Source}: {KeyCount} keys, still encrypted")]
    public partial void KeyRingBackedUp(string who, string source, int keyCount);

    [LoggerMessage(EventId = 2204, EventName = "KeyRingRestored", Level = LogLevel.Warning,
        Message = "Key ring restored by {Who} from {Source}: {Added} keys added, forced {Forced}, keys {KeyIds}")]
    public partial void KeyRingRestored(string who, string source, int added, bool forced, string keyIds);

    [LoggerMessage(EventId = 2205, EventName = "KeyRingRestoreRefused", Level = LogLevel.Warning,
        Message = "Key ring restore by {Who} from {Source} refused: {Result}")]
    public partial void KeyRingRestoreRefused(string who, string source, string result);

    [LoggerMessage(EventId = 2206, EventName = "AdminAccessDenied", Level = LogLevel.Warning,
        Message = "Admin API {Path} denied to {Who} from {Source} ({Status})")]
    public partial void AdminAccessDenied(string path, string who, string source, int status);

    public void TokenIssued(string clientId, string scope, string audience, string source, string jti, string keyId) =>
        LogTokenIssued(clientId, scope, audience, "success", source, jti, keyId);

    /// <param name="clientId">A configured client id or "unknown", never the presented one.</param>
    public void TokenRefused(string clientId, string requestedScope, string requestedAudience, string result, int status, string source) =>
        LogTokenRefused(clientId, Cut(requestedScope), Cut(requestedAudience), result, status, source);

    private static string Cut(string value) => value.Length <= MaxRequestedLength ? value : value[..MaxRequestedLength] + "…";
}
