using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using TotService.Configuration;
using TotService.Diagnostics;

namespace TotService.Authentication;

/// <summary>
/// How JwtBearer's <see cref="ConfigurationManager{T}"/> reads KeyService's signing keys: the JWKS at
/// <c>{Authority}/.well-known/jwks.json</c> through the named HttpClient (service discovery, per-replica retries), not
/// the discovery document, whose <c>jwks_uri</c> carries the public issuer host that is often unreachable in a cluster.
/// The manager decides when to fetch (first use, unknown <c>kid</c> at most once per refresh interval, automatic
/// refresh) and keeps the last good keys when a fetch fails; this class only fetches, counts and signals.
/// </summary>
public sealed partial class KeyServiceJwksRetriever(
    IHttpClientFactory httpClientFactory,
    IOptions<TotServiceOptions> options,
    TotServiceMetrics metrics,
    TimeProvider timeProvider,
    ILogger<KeyServiceJwksRetriever> logger) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public const string HttpClientName = "keyservice-jwks";
    public const string JwksPath = ".well-known/jwks.json";

    /// <summary>How long a request waits for a forced fetch before it is judged with the keys it has.</summary>
    private static readonly TimeSpan ForcedRefreshWait = TimeSpan.FromSeconds(5);

    /// <summary>The manager stores fetched keys just after this retriever returns them: how long to wait for that.</summary>
    private static readonly TimeSpan StoreWait = TimeSpan.FromMilliseconds(100);

    /// <summary>A fetch that ended this recently may not be stored yet when a request looks.</summary>
    private static readonly TimeSpan RecentFetch = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private TaskCompletionSource _fetchEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fetching;
    private long _requestedAt;
    private long _lastEndedAt;
    private bool _loaded;

    public Uri JwksUri
    {
        get
        {
            var authority = options.Value.Authority!.ToString();
            return new Uri(new Uri(authority.EndsWith('/') ? authority : authority + "/"), JwksPath);
        }
    }

    /// <summary>Whether a fetch has ever succeeded (readiness); the manager keeps those keys through outages.</summary>
    public bool HasLoadedKeys => Volatile.Read(ref _loaded);

    /// <summary>Whether a fetch is running, or was queued by <see cref="KeyServiceSigningKeys"/> and has not ended.</summary>
    internal bool FetchExpected => Snapshot().Expected;

    /// <summary><see cref="KeyServiceSigningKeys"/> has queued a fetch: requests that lack a key wait for it.</summary>
    internal void FetchRequested()
    {
        lock (_gate)
        {
            _requestedAt = timeProvider.GetTimestamp();
        }
    }

    /// <summary>
    /// For a token whose <c>kid</c> the keys lacked: waits for the fetch the unknown key queued (or one already
    /// running), and answers whether validating again can help (the keys now hold <paramref name="keyId"/>, or a fetch
    /// ended and changed them). False at once when the manager's refresh limit refused a fetch and none is running.
    /// </summary>
    public async Task<bool> WaitForKeyAsync(TokenValidationParameters parameters, string? keyId)
    {
        if (parameters.ConfigurationManager is not { } manager)
        {
            return false;
        }
        // Another request's fetch may have stored the key since this validation read the keys; that fetch also makes
        // the manager refuse a new one for a while, so waiting for the next fetch would refuse a published key.
        if (keyId is not null && await PublishedSigningKeys.ContainAsync(parameters, keyId))
        {
            return true;
        }
        var before = await manager.GetBaseConfigurationAsync(CancellationToken.None);
        var (expected, ended, lastEndedAt) = Snapshot();
        if (expected)
        {
            try
            {
                await ended.WaitAsync(ForcedRefreshWait, timeProvider);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
        else if (lastEndedAt == 0 || timeProvider.GetElapsedTime(lastEndedAt) > RecentFetch)
        {
            return false;
        }
        return await StoredAsync(manager, before, parameters, keyId);
    }

    /// <summary>Waits briefly for the manager to store what a fetch that ended returned.</summary>
    private async Task<bool> StoredAsync(BaseConfigurationManager manager, BaseConfiguration before, TokenValidationParameters parameters, string? keyId)
    {
        var deadline = timeProvider.GetTimestamp() + (long)(StoreWait.TotalSeconds * timeProvider.TimestampFrequency);
        while (true)
        {
            if (!ReferenceEquals(await manager.GetBaseConfigurationAsync(CancellationToken.None), before)
                || (keyId is not null && await PublishedSigningKeys.ContainAsync(parameters, keyId)))
            {
                return true;
            }
            if (timeProvider.GetTimestamp() >= deadline)
            {
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeProvider);
        }
    }

    private (bool Expected, Task Ended, long LastEndedAt) Snapshot()
    {
        lock (_gate)
        {
            var queued = _requestedAt != 0 && timeProvider.GetElapsedTime(_requestedAt) < ForcedRefreshWait;
            return (_fetching > 0 || queued, _fetchEnded.Task, _lastEndedAt);
        }
    }

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var reason = HasLoadedKeys ? "refresh" : "initial";
        lock (_gate)
        {
            _fetching++;
        }
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            var json = await client.GetStringAsync(JwksUri, cancel);
            var configuration = new OpenIdConnectConfiguration { Issuer = options.Value.Issuer, JwksUri = JwksUri.ToString() };
            foreach (var key in new JsonWebKeySet(json).GetSigningKeys())
            {
                configuration.SigningKeys.Add(key);
            }
            if (configuration.SigningKeys.Count == 0)
            {
                throw new InvalidDataException("The JWKS holds no usable signing key.");
            }
            Volatile.Write(ref _loaded, true);
            metrics.JwksRefreshed(reason, "ok");
            LogRefreshed(configuration.SigningKeys.Count, reason);
            return configuration;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancel.IsCancellationRequested)
        {
            metrics.JwksRefreshed(reason, "failed");
            LogRefreshFailed(JwksUri, reason, HasLoadedKeys, ex.GetType().Name, ex.Message);
            throw;
        }
        finally
        {
            TaskCompletionSource ended;
            lock (_gate)
            {
                _fetching--;
                _requestedAt = 0;
                _lastEndedAt = timeProvider.GetTimestamp();
                ended = _fetchEnded;
                _fetchEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            ended.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {KeyCount} signing keys from KeyService ({Reason})")]
    private partial void LogRefreshed(int keyCount, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch KeyService JWKS from {JwksUri} ({Reason}); keeping cached keys: {HasCachedKeys}. {ErrorType}: {Error}")]
    private partial void LogRefreshFailed(Uri jwksUri, string reason, bool hasCachedKeys, string errorType, string error);
}
