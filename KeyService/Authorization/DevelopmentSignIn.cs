using System.Security.Cryptography;
using System.Text;
using KeyService.Options;
using KeyService.Tokens;
using Microsoft.Extensions.Options;

namespace KeyService.Authorization;

/// <summary>
/// The built-in development user's password check, throttled per source address like failed client secrets (its own
/// <see cref="ClientFailureLimiter"/>): an address that guesses is blocked, with backoff, while the person signing in
/// from any other address is never refused.
/// </summary>
public sealed class DevelopmentSignIn(IOptions<AuthorizationOptions> options, IOptions<KeyServiceOptions> limits, TimeProvider time)
{
    private readonly ClientFailureLimiter _limiter = new(limits, time);

    /// <returns>The subject on success; else null, with how long to wait when the address is throttled.</returns>
    public (string? Subject, TimeSpan? RetryAfter) Verify(string userName, string password, string source)
    {
        var user = options.Value.DevelopmentUser;
        if (_limiter.TryReserve("signin", source, out var retryAfter) is not { } reservation)
        {
            return (null, retryAfter);
        }
        // Both compared in constant time over their hashes, so neither length nor a matching prefix shows in the timing.
        var valid = Same(userName, user.UserName) & Same(password, user.Password ?? "") && !string.IsNullOrEmpty(user.Password);
        _limiter.Complete(reservation, failed: !valid);
        return valid ? (user.UserName, null) : (null, null);
    }

    private static bool Same(string presented, string expected) => CryptographicOperations.FixedTimeEquals(
        SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
