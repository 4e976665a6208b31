using System.ComponentModel.DataAnnotations;

namespace TotService.Configuration;

/// <summary>Settings under <c>TotService</c>; the AppHost sets the first three as environment variables.</summary>
public sealed class TotServiceOptions
{
    public const string SectionName = "TotService";

    /// <summary>
    /// Internal address of KeyService (normally <c>http://keyservice</c>, resolved by service discovery).
    /// Signing keys are fetched from <c>{Authority}/.well-known/jwks.json</c>.
    /// </summary>
    [Required]
    public Uri? Authority { get; set; }

    /// <summary>KeyService's public issuer URL: the only accepted <c>iss</c>, and the advertised authorization server.</summary>
    [Required]
    public string Issuer { get; set; } = "";

    /// <summary>This server's canonical MCP URL, e.g. <c>http://localhost:5102/mcp</c>: the only accepted <c>aud</c>.</summary>
    [Required]
    public string Audience { get; set; } = "";

    /// <summary>
    /// Minimum time between two JWKS fetches forced by tokens with an unknown <c>kid</c>; values under one second act as
    /// one second (the least <c>ConfigurationManager</c> accepts).
    /// </summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time after which cached signing keys are refreshed in the background.</summary>
    public TimeSpan JwksAutomaticRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Allowed clock difference for <c>exp</c> and <c>nbf</c>; at most 30 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bearer tokens longer than this are refused before any parsing.</summary>
    [Range(1024, 65536)]
    public int MaxTokenBytes { get; set; } = 16 * 1024;

    /// <summary>
    /// Browser origins (scheme://host[:port]) allowed to call <c>/mcp</c> besides the Audience's own origin (and, in
    /// Development, loopback origins on any port). Requests without an Origin header (non-browser clients) are allowed;
    /// any other Origin gets 403 (DNS-rebinding protection).
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>
    /// Host names accepted on <c>/mcp</c> and the metadata documents (exact names, <c>*.suffix</c>, or <c>*</c>).
    /// Empty means the Audience's host plus the loopback names.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];

    /// <summary>Largest accepted request body on <c>/mcp</c>.</summary>
    [Range(1024, 64L * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    public RateLimitSettings RateLimit { get; set; } = new();

    public SessionSettings Sessions { get; set; } = new();

    /// <summary>Stateful MCP sessions held in this replica's memory.</summary>
    public sealed class SessionSettings
    {
        /// <summary>Concurrent sessions one client (<c>sub</c>) may hold; an initialize beyond it gets 429.</summary>
        [Range(1, 10_000)]
        public int MaxPerClient { get; set; } = 16;

        /// <summary>A session without a request or an open stream for this long is closed.</summary>
        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
    }

    /// <summary>Per-<c>sub</c> token bucket on <c>/mcp</c>.</summary>
    public sealed class RateLimitSettings
    {
        /// <summary>Burst size: requests a client may send at once.</summary>
        [Range(1, 1_000_000)]
        public int TokenLimit { get; set; } = 120;

        /// <summary>Requests added back to the bucket every <see cref="ReplenishmentPeriod"/>.</summary>
        [Range(1, 1_000_000)]
        public int TokensPerPeriod { get; set; } = 60;

        public TimeSpan ReplenishmentPeriod { get; set; } = TimeSpan.FromSeconds(10);
    }
}
