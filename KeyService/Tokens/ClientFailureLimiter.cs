using System.Collections.Concurrent;
using KeyService.Options;
using Microsoft.Extensions.Options;

namespace KeyService.Tokens;

/// <summary>
/// Per-client limit on failed authentications (<c>KeyService:ClientFailureLimit</c> per
/// <c>KeyService:ClientFailureWindow</c>, fixed window). Once reached, the client is refused without checking the secret
/// until the window ends, which bounds online guessing and the PBKDF2 work an attacker can cause.
/// Keyed by configured client ids only, so callers cannot grow it.
/// </summary>
public sealed class ClientFailureLimiter(IOptions<KeyServiceOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    public bool IsLimited(string clientId, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_windows.TryGetValue(clientId, out var window))
        {
            return false;
        }
        lock (window)
        {
            var now = time.GetUtcNow();
            var ends = window.Start + options.Value.ClientFailureWindow;
            if (now >= ends || window.Failures < options.Value.ClientFailureLimit)
            {
                return false;
            }
            retryAfter = ends - now;
            return true;
        }
    }

    public void RecordFailure(string clientId)
    {
        var window = _windows.GetOrAdd(clientId, _ => new Window());
        lock (window)
        {
            var now = time.GetUtcNow();
            if (now >= window.Start + options.Value.ClientFailureWindow)
            {
                window.Start = now;
                window.Failures = 0;
            }
            window.Failures++;
        }
    }

    private sealed class Window
    {
        public DateTimeOffset Start { get; set; } = DateTimeOffset.MinValue;

        public int Failures { get; set; }
    }
}
