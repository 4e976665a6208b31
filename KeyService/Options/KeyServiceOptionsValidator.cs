using Microsoft.Extensions.Options;

namespace KeyService.Options;

/// <summary>
/// Refuses at start-up every setting that would break tokens in flight or leak secrets; each message names the
/// settings involved so an operator knows what to change.
/// </summary>
public sealed class KeyServiceOptionsValidator(IHostEnvironment environment, IConfiguration configuration) : IValidateOptions<KeyServiceOptions>
{
    private const string S = KeyServiceOptions.SectionName;
    private static readonly int[] KeySizes = [2048, 3072, 4096];

    public ValidateOptionsResult Validate(string? name, KeyServiceOptions options)
    {
        var failures = new List<string>();
        ValidateIssuer(options, failures);
        ValidateKeyEncryptionKey(options, failures);
        ValidateDurations(options, failures);
        ValidateFailureLimits(options, failures);
        ValidateClients(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateIssuer(KeyServiceOptions options, List<string> failures)
    {
        if (!Uri.TryCreate(options.Issuer, UriKind.Absolute, out var issuer)
            || issuer.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment))
        {
            failures.Add($"{S}:Issuer must be an absolute http(s) URL without query or fragment (got '{options.Issuer}').");
        }
    }

    private void ValidateKeyEncryptionKey(KeyServiceOptions options, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
        {
            if (!environment.IsDevelopment())
            {
                failures.Add($"{S}:KeyEncryptionKey is required outside Development (base64 of 32 random bytes).");
            }
            else if (!string.IsNullOrEmpty(configuration.GetConnectionString("redis")))
            {
                // Ephemeral keys differ per replica: replicas sharing a Redis ring could not read each other's keys.
                failures.Add($"{S}:KeyEncryptionKey is required when ConnectionStrings:redis is set, even in Development.");
            }
            return;
        }

        var bytes = new byte[64];
        if (!Convert.TryFromBase64String(options.KeyEncryptionKey, bytes, out var length) || length != 32)
        {
            failures.Add($"{S}:KeyEncryptionKey must be base64 of exactly 32 bytes (AES-256).");
        }
    }

    private static void ValidateDurations(KeyServiceOptions o, List<string> failures)
    {
        foreach (var (setting, value) in new[]
        {
            (nameof(o.RotationInterval), o.RotationInterval), (nameof(o.PropagationTime), o.PropagationTime),
            (nameof(o.GraceTime), o.GraceTime), (nameof(o.TokenLifetime), o.TokenLifetime),
            (nameof(o.JwksMaxAge), o.JwksMaxAge), (nameof(o.JwksRefreshCheckInterval), o.JwksRefreshCheckInterval),
            (nameof(o.ClientFailureWindow), o.ClientFailureWindow), (nameof(o.ClientFailureMaxBackoff), o.ClientFailureMaxBackoff),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"{S}:{setting} must be positive (got {value}).");
            }
        }

        if (!KeySizes.Contains(o.KeySize))
        {
            failures.Add($"{S}:KeySize must be 2048, 3072 or 4096 (got {o.KeySize}).");
        }
        if (o.PropagationTime < o.JwksMaxAge)
        {
            failures.Add($"{S}:PropagationTime ({o.PropagationTime}) must be at least {S}:JwksMaxAge ({o.JwksMaxAge}): " +
                "validators holding a cached JWKS would reject tokens signed by a new key.");
        }
        if (o.GraceTime < o.TokenLifetime + o.JwksMaxAge)
        {
            failures.Add($"{S}:GraceTime ({o.GraceTime}) must be at least {S}:TokenLifetime + {S}:JwksMaxAge " +
                $"({o.TokenLifetime + o.JwksMaxAge}): tokens signed just before a rotation would stop validating.");
        }
        if (o.RotationInterval <= o.PropagationTime)
        {
            failures.Add($"{S}:RotationInterval ({o.RotationInterval}) must be longer than {S}:PropagationTime ({o.PropagationTime}).");
        }
        if (o.TokenLifetime >= o.RotationInterval)
        {
            failures.Add($"{S}:TokenLifetime ({o.TokenLifetime}) must be shorter than {S}:RotationInterval ({o.RotationInterval}).");
        }
        if (o.JwksRefreshCheckInterval > o.PropagationTime)
        {
            failures.Add($"{S}:JwksRefreshCheckInterval ({o.JwksRefreshCheckInterval}) must not exceed {S}:PropagationTime " +
                $"({o.PropagationTime}): a replica must see a published key before it starts signing.");
        }
    }

    private static void ValidateFailureLimits(KeyServiceOptions o, List<string> failures)
    {
        if (o.SourceFailureLimit < o.ClientFailureLimit)
        {
            failures.Add($"{S}:SourceFailureLimit ({o.SourceFailureLimit}) must be at least {S}:ClientFailureLimit ({o.ClientFailureLimit}): " +
                "an address is throttled for all clients before any one client's limit could be reached.");
        }
        if (o.ClientFailureMaxBackoff < o.ClientFailureWindow)
        {
            failures.Add($"{S}:ClientFailureMaxBackoff ({o.ClientFailureMaxBackoff}) must be at least {S}:ClientFailureWindow " +
                $"({o.ClientFailureWindow}): the first block lasts one window.");
        }
    }

    private void ValidateClients(KeyServiceOptions options, List<string> failures)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Clients.Count; i++)
        {
            var client = options.Clients[i];
            var at = $"{S}:Clients:{i}";
            if (string.IsNullOrWhiteSpace(client.ClientId))
            {
                failures.Add($"{at}:ClientId is required.");
            }
            else if (!seen.Add(client.ClientId))
            {
                failures.Add($"{at}:ClientId '{client.ClientId}' is configured more than once.");
            }

            ValidateSecret(client, at, failures);

            if (client.AllowedScopes.Count == 0 || client.AllowedScopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Contains(' ', StringComparison.Ordinal)))
            {
                failures.Add($"{at}:AllowedScopes must list at least one scope, each without spaces.");
            }
            if (client.AllowedAudiences.Count == 0 || client.AllowedAudiences.Any(a => !IsResourceUrl(a)))
            {
                failures.Add($"{at}:AllowedAudiences must list at least one absolute http(s) URL without fragment (RFC 8707).");
            }
            if (client.RedirectUris.Any(r => !Authorization.RedirectUris.IsAcceptable(r)))
            {
                failures.Add($"{at}:RedirectUris must be absolute https URIs, loopback http URIs or private-use schemes, without fragment.");
            }
        }
    }

    // "/path" parses as an absolute file: URI on Unix; resources here are HTTP endpoints.
    private static bool IsResourceUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && string.IsNullOrEmpty(uri.Fragment);

    private void ValidateSecret(ClientOptions client, string at, List<string> failures)
    {
        if (!string.IsNullOrEmpty(client.SecretHash))
        {
            if (!ClientSecretHasher.IsWellFormed(client.SecretHash))
            {
                failures.Add($"{at}:SecretHash must have the form PBKDF2-SHA256$<iterations>$<base64 salt>$<base64 32-byte hash>.");
            }
        }
        else if (!string.IsNullOrEmpty(client.Secret))
        {
            if (!environment.IsDevelopment())
            {
                failures.Add($"{at}:Secret (plain text) is accepted in Development only; configure {at}:SecretHash instead.");
            }
        }
        else
        {
            failures.Add($"{at}:SecretHash is required.");
        }
    }
}
