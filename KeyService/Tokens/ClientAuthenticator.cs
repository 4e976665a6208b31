using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using KeyService.Options;

namespace KeyService.Tokens;

/// <summary>
/// Authenticates presented client credentials under the failure limits, with the same work and the same answers for
/// unknown ids as for known ones (both pay a PBKDF2 check, both are limited and throttled alike).
/// </summary>
/// <remarks>
/// Identical concurrent attempts (same source, client and secret) share one verification: a client's first burst of
/// requests costs one PBKDF2 and one reserved attempt, so it cannot exhaust its own limit while the verdict is
/// not yet cached.
/// </remarks>
public sealed class ClientAuthenticator(ClientRegistry clients, ClientSecretVerifier verifier, ClientFailureLimiter limiter)
{
    /// <summary>Longer presented ids are limited under their hash, so the limiter's keys stay small.</summary>
    private const int MaxKeyedIdLength = 128;

    private readonly ConcurrentDictionary<string, Task<Outcome>> _verifying = new(StringComparer.Ordinal);

    /// <summary>The configured client, or why authentication failed (401 <c>invalid_client</c>, or 429 while throttled).</summary>
    public async Task<(ClientOptions? Client, TokenError? Error)> AuthenticateAsync(ClientCredentials credentials, string source)
    {
        var client = clients.Find(credentials.ClientId);
        var limitedId = client?.ClientId ?? LimitedId(credentials.ClientId);
        var fingerprint = verifier.Fingerprint(client, credentials.ClientId, credentials.Secret);
        var outcome = verifier.IsKnownGood(fingerprint)
            ? (limiter.IsBlocked(limitedId, source, out var retryAfter) ? Outcome.Throttled(retryAfter) : Outcome.Valid)
            : await VerifyOnceAsync(client, limitedId, source, credentials.Secret, fingerprint);
        return outcome switch
        {
            { RetryAfter: { } retry } => (null, new TokenError("invalid_client", "Too many failed authentications; retry later.",
                StatusCodes.Status429TooManyRequests) { RetryAfter = retry }),
            { IsValid: true } => (client, null),
            _ => (null, TokenError.InvalidClient("Client authentication failed.")),
        };
    }

    private async Task<Outcome> VerifyOnceAsync(ClientOptions? client, string limitedId, string source, string secret, string fingerprint)
    {
        var key = $"{source}\n{fingerprint}";
        var mine = new TaskCompletionSource<Outcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = _verifying.GetOrAdd(key, mine.Task);
        if (running != mine.Task)
        {
            return await running;
        }
        try
        {
            var outcome = VerifyReserved(client, limitedId, source, secret, fingerprint);
            mine.SetResult(outcome);
            return outcome;
        }
        catch (Exception ex)
        {
            mine.SetException(ex);
            throw;
        }
        finally
        {
            _verifying.TryRemove(new KeyValuePair<string, Task<Outcome>>(key, mine.Task));
        }
    }

    private Outcome VerifyReserved(ClientOptions? client, string limitedId, string source, string secret, string fingerprint)
    {
        if (limiter.TryReserve(limitedId, source, out var retryAfter) is not { } reservation)
        {
            return Outcome.Throttled(retryAfter);
        }
        var valid = false;
        try
        {
            valid = verifier.Verify(client, secret, fingerprint);
        }
        finally
        {
            limiter.Complete(reservation, failed: !valid);
        }
        return valid ? Outcome.Valid : Outcome.Invalid;
    }

    private static string LimitedId(string clientId) => clientId.Length <= MaxKeyedIdLength
        ? clientId
        : "sha256:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(clientId)));

    private readonly record struct Outcome(bool IsValid, TimeSpan? RetryAfter)
    {
        public static Outcome Valid => new(true, null);

        public static Outcome Invalid => new(false, null);

        public static Outcome Throttled(TimeSpan retryAfter) => new(false, retryAfter);
    }
}
