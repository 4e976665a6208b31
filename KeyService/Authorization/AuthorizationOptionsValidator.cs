using Microsoft.Extensions.Options;

namespace KeyService.Authorization;

/// <summary>Refuses at start-up authorization settings that would weaken the flow; messages name the settings.</summary>
public sealed class AuthorizationOptionsValidator(IHostEnvironment environment) : IValidateOptions<AuthorizationOptions>
{
    private const string S = AuthorizationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, AuthorizationOptions options)
    {
        var failures = new List<string>();
        if (options.CodeLifetime <= TimeSpan.Zero || options.CodeLifetime > TimeSpan.FromSeconds(60))
        {
            failures.Add($"{S}:CodeLifetime must be positive and at most 60 seconds (got {options.CodeLifetime}).");
        }
        if (options.RefreshTokenLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{S}:RefreshTokenLifetime must be positive (got {options.RefreshTokenLifetime}).");
        }
        if (options.ConsentLifetime <= TimeSpan.Zero)
        {
            failures.Add($"{S}:ConsentLifetime must be positive (got {options.ConsentLifetime}).");
        }
        if (options.UserScopes.Count == 0 || options.UserScopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Contains(' ', StringComparison.Ordinal)))
        {
            failures.Add($"{S}:UserScopes must list at least one scope, each without spaces.");
        }
        if (options.Resources.Any(r => !Uri.TryCreate(r, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Fragment.Length > 0))
        {
            failures.Add($"{S}:Resources must be absolute http(s) URLs without fragment (RFC 8707).");
        }
        if (options.MaxConsentsPerPerson < 1)
        {
            failures.Add($"{S}:MaxConsentsPerPerson must be at least 1 (got {options.MaxConsentsPerPerson}).");
        }
        if (options.MaxRegistrations < 0 || options.RegistrationsPerMinute < 1)
        {
            failures.Add($"{S}:MaxRegistrations must be 0 or more and {S}:RegistrationsPerMinute at least 1.");
        }
        if (options.UnusedRegistrationLifetime <= TimeSpan.Zero || options.RegistrationLifetime < options.UnusedRegistrationLifetime)
        {
            failures.Add($"{S}:UnusedRegistrationLifetime must be positive and at most {S}:RegistrationLifetime.");
        }
        if (options.DevelopmentUserEnabled && !environment.IsDevelopment())
        {
            failures.Add($"{S}:DevelopmentUser:Password is accepted in Development only: a built-in password user has no place in production.");
        }
        if (options.DevelopmentUserEnabled && options.DevelopmentUser.Password!.Length < 16)
        {
            failures.Add($"{S}:DevelopmentUser:Password must be at least 16 characters (the AppHost generates one).");
        }
        if (string.IsNullOrWhiteSpace(options.DevelopmentUser.UserName))
        {
            failures.Add($"{S}:DevelopmentUser:UserName must not be empty.");
        }
        if (options.Upstream.Configured)
        {
            ValidateUpstream(options.Upstream, options.UserScopes, failures);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void ValidateUpstream(UpstreamProviderOptions upstream, List<string> userScopes, List<string> failures)
    {
        const string U = S + ":Upstream";
        var authority = upstream.Authority!;
        if (!authority.IsAbsoluteUri || authority.Scheme is not ("https" or "http") || authority.Query.Length > 0 || authority.Fragment.Length > 0)
        {
            failures.Add($"{U}:Authority must be the provider's issuer URL, without query or fragment (got {authority}).");
        }
        else if (authority.Scheme != "https" && !environment.IsDevelopment())
        {
            failures.Add($"{U}:Authority must be https outside Development (got {authority}).");
        }
        if (string.IsNullOrWhiteSpace(upstream.ClientId) || string.IsNullOrEmpty(upstream.ClientSecret))
        {
            failures.Add($"{U}:ClientId and {U}:ClientSecret must be set: KeyService is a confidential client of the provider.");
        }
        if (!upstream.Scopes.Contains("openid", StringComparer.Ordinal) || upstream.Scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Contains(' ', StringComparison.Ordinal)))
        {
            failures.Add($"{U}:Scopes must include openid, each scope without spaces.");
        }
        if (string.IsNullOrWhiteSpace(upstream.SubjectClaim) || string.IsNullOrWhiteSpace(upstream.NameClaim) || string.IsNullOrWhiteSpace(upstream.GroupsClaim))
        {
            failures.Add($"{U}:SubjectClaim, {U}:NameClaim and {U}:GroupsClaim must name claims.");
        }
        if (string.IsNullOrWhiteSpace(upstream.DisplayName))
        {
            failures.Add($"{U}:DisplayName must not be empty (the sign-in page shows it).");
        }
        foreach (var (group, scopes) in upstream.ScopesByGroup)
        {
            if (scopes.FirstOrDefault(s => !userScopes.Contains(s, StringComparer.Ordinal)) is { } unknown)
            {
                failures.Add($"{U}:ScopesByGroup:{group} names '{unknown}', which is not one of {S}:UserScopes.");
            }
        }
        if (upstream.BackchannelTimeout <= TimeSpan.Zero || upstream.BackchannelTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{U}:BackchannelTimeout must be positive and at most one minute (got {upstream.BackchannelTimeout}).");
        }
    }
}
