using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using TotService.Configuration;
using TotService.Diagnostics;

namespace TotService.Authentication;

/// <summary>
/// KeyService's signing keys, cached, for <see cref="KeyServiceTokenValidator"/>.
/// <list type="bullet">
/// <item>Keys come from <c>{Authority}/.well-known/jwks.json</c> directly rather than from the metadata's
/// <c>jwks_uri</c>: that URI carries the public issuer host, which inside a cluster is often unreachable.</item>
/// <item>A token with an unknown <c>kid</c> may force one fetch per <c>JwksRefreshInterval</c> (all fetches
/// count, so a flood of forged kids cannot cause a storm); the caller waits for it briefly, so a freshly
/// rotated key works on the first request.</item>
/// <item>When KeyService is unreachable the last good keys keep being served; only the very first fetch blocks.</item>
/// </list>
/// </summary>
public sealed partial class KeyServiceSigningKeys(
    IHttpClientFactory httpClientFactory,
    IOptions<TotServiceOptions> options,
    TimeProvider timeProvider,
    TotServiceMetrics metrics,
    ILogger<KeyServiceSigningKeys> logger) : IConfigurationManager<OpenIdConnectConfiguration>
{
    public const string HttpClientName = "keyservice-jwks";
    public const string JwksPath = ".well-known/jwks.json";

    /// <summary>How long a request waits for a forced fetch before it is judged with the keys it has.</summary>
    private static readonly TimeSpan ForcedRefreshWait = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private OpenIdConnectConfiguration? _current;
    /// <summary>UTC ticks; read on every request without the lock, so kept as a long read and written atomically.</summary>
    private long _nextAutomaticRefreshTicks;
    private DateTimeOffset? _lastAttempt;
    private Task? _inFlight;

    public Uri JwksUri
    {
        get
        {
            var authority = options.Value.Authority!.ToString();
            return new Uri(new Uri(authority.EndsWith('/') ? authority : authority + "/"), JwksPath);
        }
    }

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        if (Current is { } current)
        {
            return current;
        }
        if (TryStartRefresh("initial", rateLimited: true) is { } first)
        {
            await WaitBoundedAsync(first, cancel);
        }
        return Volatile.Read(ref _current)
            ?? throw new SigningKeysUnavailableException("KeyService signing keys have not been loaded yet.");
    }

    /// <summary>
    /// The cached keys (null before the first load), starting the routine refresh in the background when it is due:
    /// a request never waits for it and keeps using the cached keys meanwhile.
    /// </summary>
    public OpenIdConnectConfiguration? Current
    {
        get
        {
            var current = Volatile.Read(ref _current);
            if (current is not null && timeProvider.GetUtcNow().UtcTicks >= Volatile.Read(ref _nextAutomaticRefreshTicks))
            {
                _ = TryStartRefresh("automatic", rateLimited: false);
            }
            return current;
        }
    }

    /// <summary>Whether any signing key has been loaded (readiness).</summary>
    public bool HasKeys => Volatile.Read(ref _current) is not null;

    /// <summary>Start-up load: not bound by the refresh interval, since nothing is cached to protect yet.</summary>
    public async Task LoadInitialKeysAsync(CancellationToken cancel)
    {
        if (!HasKeys && TryStartRefresh("initial", rateLimited: false) is { } refresh)
        {
            await refresh.WaitAsync(cancel);
        }
    }

    /// <summary>Fetches the JWKS for an unknown kid, unless one was fetched within the refresh interval.</summary>
    public async Task RefreshForUnknownKeyAsync(CancellationToken cancel)
    {
        var reason = Volatile.Read(ref _current) is null ? "initial" : "unknown_kid";
        if (TryStartRefresh(reason, rateLimited: true) is { } refresh)
        {
            await WaitBoundedAsync(refresh, cancel);
        }
    }

    /// <summary>Called after a token failed for want of its key (a kid the cached keys lost); same limit.</summary>
    public void RequestRefresh() => _ = TryStartRefresh("unknown_kid", rateLimited: true);

    private Task? TryStartRefresh(string reason, bool rateLimited)
    {
        lock (_gate)
        {
            if (_inFlight is { } running)
            {
                return running;
            }
            var now = timeProvider.GetUtcNow();
            if (rateLimited && _lastAttempt is { } last && now - last < options.Value.JwksRefreshInterval)
            {
                return null;
            }
            _lastAttempt = now;
            _inFlight = Task.Run(() => RefreshAsync(reason));
            return _inFlight;
        }
    }

    private async Task RefreshAsync(string reason)
    {
        var settings = options.Value;
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            var json = await client.GetStringAsync(JwksUri);
            var keySet = new JsonWebKeySet(json);
            var configuration = new OpenIdConnectConfiguration { Issuer = settings.Issuer, JwksUri = JwksUri.ToString() };
            foreach (var key in keySet.GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }
            if (configuration.SigningKeys.Count == 0)
            {
                throw new InvalidDataException("The JWKS holds no usable signing key.");
            }

            Volatile.Write(ref _current, configuration);
            Volatile.Write(ref _nextAutomaticRefreshTicks, (timeProvider.GetUtcNow() + settings.JwksAutomaticRefreshInterval).UtcTicks);
            metrics.JwksRefreshed(reason, "ok");
            LogRefreshed(configuration.SigningKeys.Count, reason);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or InvalidDataException
                                       or ArgumentException or System.Text.Json.JsonException
                                       or Polly.CircuitBreaker.BrokenCircuitException or Polly.Timeout.TimeoutRejectedException)
        {
            // Keep the last good keys; try again no sooner than the forced-refresh interval.
            Volatile.Write(ref _nextAutomaticRefreshTicks, (timeProvider.GetUtcNow() + settings.JwksRefreshInterval).UtcTicks);
            metrics.JwksRefreshed(reason, "failed");
            LogRefreshFailed(ex, JwksUri, reason, _current is not null);
        }
        finally
        {
            lock (_gate)
            {
                _inFlight = null;
            }
        }
    }

    private static async Task WaitBoundedAsync(Task refresh, CancellationToken cancel)
    {
        try
        {
            await refresh.WaitAsync(ForcedRefreshWait, cancel);
        }
        catch (TimeoutException)
        {
            // The fetch goes on in the background; this request is judged with the keys already cached.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {KeyCount} signing keys from KeyService ({Reason})")]
    private partial void LogRefreshed(int keyCount, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch KeyService JWKS from {JwksUri} ({Reason}); serving cached keys: {HasCachedKeys}")]
    private partial void LogRefreshFailed(Exception exception, Uri jwksUri, string reason, bool hasCachedKeys);
}

/// <summary>No signing keys could be loaded from KeyService yet; requests get 401 until they can.</summary>
public sealed class SigningKeysUnavailableException(string message) : Exception(message);
