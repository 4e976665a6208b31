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

    /// <summary>The manager starts its refresh on a thread-pool thread: how long to wait for that fetch to begin.</summary>
    private static readonly TimeSpan FetchStartGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a request waits for a forced fetch before it is judged with the keys it has.</summary>
    private static readonly TimeSpan ForcedRefreshWait = TimeSpan.FromSeconds(5);

    private TaskCompletionSource _nextFetch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _fetching;
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

    private bool IsFetching => Volatile.Read(ref _fetching) > 0;

    /// <summary>Completes when the fetch running now, or the next one, ends (either way).</summary>
    private Task NextFetchCompleted => Volatile.Read(ref _nextFetch).Task;

    /// <summary>
    /// For a token whose <c>kid</c> the keys lacked: waits for the refresh JwtBearer's configuration manager starts on an
    /// unknown key, and answers whether validating again can help (the keys now hold <paramref name="keyId"/>, or a fetch
    /// ended and changed them). False at once when the manager refused to fetch (its refresh limit) and no fetch stored
    /// the key meanwhile.
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
        var fetched = NextFetchCompleted;
        if (!IsFetching)
        {
            await Task.WhenAny(fetched, Task.Delay(FetchStartGrace, timeProvider));
            if (!fetched.IsCompleted && !IsFetching)
            {
                // The refresh was rate limited: no fetch is coming, but one that just ended may have stored the key.
                return keyId is not null && await PublishedSigningKeys.ContainAsync(parameters, keyId);
            }
        }
        try
        {
            await fetched.WaitAsync(ForcedRefreshWait, timeProvider);
        }
        catch (TimeoutException)
        {
            return false;
        }
        // The manager stores the keys just after this retriever returns them: give it a moment to swap.
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (!ReferenceEquals(await manager.GetBaseConfigurationAsync(CancellationToken.None), before))
            {
                return true;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(10), timeProvider);
        }
        return false;
    }

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        var reason = HasLoadedKeys ? "refresh" : "initial";
        Interlocked.Increment(ref _fetching);
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
            Interlocked.Decrement(ref _fetching);
            Interlocked.Exchange(ref _nextFetch, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {KeyCount} signing keys from KeyService ({Reason})")]
    private partial void LogRefreshed(int keyCount, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not fetch KeyService JWKS from {JwksUri} ({Reason}); keeping cached keys: {HasCachedKeys}. {ErrorType}: {Error}")]
    private partial void LogRefreshFailed(Uri jwksUri, string reason, bool hasCachedKeys, string errorType, string error);
}
