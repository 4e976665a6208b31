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
    ILogger<KeyServiceJwksRetriever> logger) : IConfigurationRetriever<OpenIdConnectConfiguration>
{
    public const string HttpClientName = "keyservice-jwks";
    public const string JwksPath = ".well-known/jwks.json";

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

    public bool IsFetching => Volatile.Read(ref _fetching) > 0;

    /// <summary>Completes when the fetch running now, or the next one, ends (either way).</summary>
    public Task NextFetchCompleted => Volatile.Read(ref _nextFetch).Task;

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
