using Microsoft.Extensions.Options;

namespace TotService.Configuration;

/// <summary>Cross-field rules; every message names the setting to fix.</summary>
internal sealed class TotServiceOptionsValidator : IValidateOptions<TotServiceOptions>
{
    private const string Prefix = TotServiceOptions.SectionName + ":";
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(30);

    public ValidateOptionsResult Validate(string? name, TotServiceOptions options)
    {
        var failures = new List<string>();

        if (options.Authority is { } authority && !IsHttpUrl(authority))
        {
            failures.Add($"{Prefix}Authority must be an absolute http(s) URL (e.g. http://keyservice), got '{authority}'.");
        }
        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out var issuer) || !IsHttpUrl(issuer))
        {
            failures.Add($"{Prefix}Issuer must be KeyService's absolute public issuer URL, got '{options.Issuer}'.");
        }
        if (!Uri.TryCreate(options.Audience, UriKind.Absolute, out var audience) || !IsHttpUrl(audience)
            || audience.AbsolutePath.Length <= 1 || !string.IsNullOrEmpty(audience.Query) || !string.IsNullOrEmpty(audience.Fragment))
        {
            failures.Add($"{Prefix}Audience must be this server's canonical MCP URL with a path and no query (e.g. http://localhost:5102/mcp), got '{options.Audience}'.");
        }
        if (options.ClockSkew < TimeSpan.Zero || options.ClockSkew > MaxClockSkew)
        {
            failures.Add($"{Prefix}ClockSkew must be between 0 and 30 seconds, got {options.ClockSkew}.");
        }
        if (options.JwksRefreshInterval < TimeSpan.FromMilliseconds(100))
        {
            failures.Add($"{Prefix}JwksRefreshInterval must be at least 100 ms (it bounds JWKS fetches caused by unknown kids), got {options.JwksRefreshInterval}.");
        }
        if (options.JwksAutomaticRefreshInterval < options.JwksRefreshInterval)
        {
            failures.Add($"{Prefix}JwksAutomaticRefreshInterval ({options.JwksAutomaticRefreshInterval}) must not be shorter than {Prefix}JwksRefreshInterval ({options.JwksRefreshInterval}).");
        }
        foreach (var origin in options.AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || !IsHttpUrl(uri) || uri.AbsolutePath != "/")
            {
                failures.Add($"{Prefix}AllowedOrigins entries must be origins like https://app.example.com (no wildcard, no path), got '{origin}'.");
            }
        }
        if (options.Sessions.IdleTimeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{Prefix}Sessions:IdleTimeout must be at least one second, got {options.Sessions.IdleTimeout}.");
        }
        if (options.JwksAutomaticRefreshInterval < TimeSpan.FromMinutes(5))
        {
            failures.Add($"{Prefix}JwksAutomaticRefreshInterval must be at least 5 minutes (ConfigurationManager's minimum), got {options.JwksAutomaticRefreshInterval}.");
        }
        if (options.RateLimit.ReplenishmentPeriod <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}RateLimit:ReplenishmentPeriod must be positive, got {options.RateLimit.ReplenishmentPeriod}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}
