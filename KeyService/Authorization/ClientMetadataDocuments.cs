using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace KeyService.Authorization;

/// <summary>
/// Client ID Metadata Documents: a <c>client_id</c> that is an https URL names a JSON document describing the client,
/// fetched from that URL. The fetch is guarded (<see cref="OutboundAddressPolicy"/> checked on the address actually
/// connected to, so DNS cannot switch it; no redirects; <see cref="MaxDocumentBytes"/>; <see cref="FetchTimeout"/>);
/// the document must name the URL as its <c>client_id</c>. Documents are cached per their <c>Cache-Control</c>
/// (<see cref="DefaultFreshness"/> without one, at most <see cref="MaxFreshness"/>); failures for
/// <see cref="FailureFreshness"/>, so a slow or broken URL costs one fetch a minute, not one per request.
/// </summary>
public sealed partial class ClientMetadataDocuments : IAuthorizationClientSource, IDisposable
{
    public const int MaxDocumentBytes = 5 * 1024;
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultFreshness = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxFreshness = TimeSpan.FromHours(24);
    public static readonly TimeSpan FailureFreshness = TimeSpan.FromMinutes(1);
    private const int MaxCached = 1_000;

    private readonly HttpClient _http;
    private readonly OutboundAddressPolicy _addresses;
    private readonly IOptions<AuthorizationOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ClientMetadataDocuments> _logger;
    private readonly ConcurrentDictionary<string, (AuthorizationClient? Client, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public ClientMetadataDocuments(OutboundAddressPolicy addresses, IOptions<AuthorizationOptions> options, TimeProvider time, ILogger<ClientMetadataDocuments> logger)
    {
        (_addresses, _options, _time, _logger) = (addresses, options, time, logger);
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            ConnectTimeout = FetchTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxResponseHeadersLength = 16,
            ConnectCallback = ConnectAsync,
        })
        { Timeout = FetchTimeout, MaxResponseContentBufferSize = MaxDocumentBytes };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>A URL that may be a client id: https with a path, no fragment or credentials (http on loopback in Development).</summary>
    public bool IsDocumentUrl(string clientId) =>
        Uri.TryCreate(clientId, UriKind.Absolute, out var uri) && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0 && uri.AbsolutePath.Length > 1
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && _addresses.AllowsPrivateAddresses))
        && uri.OriginalString == uri.AbsoluteUri;

    public async Task<AuthorizationClient?> FindAsync(string clientId, CancellationToken cancellationToken)
    {
        if (!_options.Value.ClientMetadataDocuments || !IsDocumentUrl(clientId))
        {
            return null;
        }
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(clientId, out var cached) && cached.Expires > now)
        {
            return cached.Client;
        }
        var (client, freshness) = await FetchAsync(clientId, cancellationToken);
        if (freshness > TimeSpan.Zero)
        {
            if (_cache.Count >= MaxCached)
            {
                _cache.Clear();
            }
            _cache[clientId] = (client, now + freshness);
        }
        return client;
    }

    private async Task<(AuthorizationClient?, TimeSpan)> FetchAsync(string url, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(FetchTimeout);
            using var response = await _http.GetAsync(new Uri(url), HttpCompletionOption.ResponseContentRead, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return Refused(url, $"answered {(int)response.StatusCode} (redirects are not followed)");
            }
            if (response.Content.Headers.ContentType?.MediaType is not { } type || !(type == "application/json" || type.EndsWith("+json", StringComparison.Ordinal)))
            {
                return Refused(url, "is not application/json");
            }
            var document = JsonSerializer.Deserialize<MetadataDocument>(await response.Content.ReadAsByteArrayAsync(timeout.Token));
            if (Invalid(url, document) is { } reason)
            {
                return Refused(url, reason);
            }
            var client = new AuthorizationClient(url, document!.ClientName, document.ClientUri, document.LogoUri, document.RedirectUris!);
            return (client, Freshness(response.Headers.CacheControl));
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Refused(url, ex is OperationCanceledException ? $"took longer than {FetchTimeout.TotalSeconds} s" : ex.Message);
        }
    }

    private static string? Invalid(string url, MetadataDocument? document) => document switch
    {
        null => "is not a JSON object",
        { ClientId: var id } when id != url => "names another client_id",
        { RedirectUris: not { Length: > 0 and <= 10 } } => "lists no redirect_uris (or more than 10)",
        { RedirectUris: var uris } when uris.Any(u => u is null || !RedirectUris.IsAcceptable(u)) => "lists an unacceptable redirect URI",
        { TokenEndpointAuthMethod: not (null or "none") } => "asks for a token endpoint authentication other than none",
        { ClientName.Length: > 200 } => "has a client_name over 200 characters",
        { ClientUri: { } u } when !IsHttps(u) => "has a client_uri that is not https",
        { LogoUri: { } l } when !IsHttps(l) => "has a logo_uri that is not https",
        _ => null,
    };

    private static bool IsHttps(string value) => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    private static TimeSpan Freshness(CacheControlHeaderValue? cacheControl) => cacheControl switch
    {
        null => DefaultFreshness,
        { NoStore: true } or { NoCache: true } => TimeSpan.Zero,
        { MaxAge: { } maxAge } => maxAge > MaxFreshness ? MaxFreshness : maxAge,
        _ => DefaultFreshness,
    };

    private (AuthorizationClient?, TimeSpan) Refused(string url, string reason)
    {
        LogRefused(url, reason);
        return (null, FailureFreshness);
    }

    /// <summary>Resolves the host and connects only to an allowed address: the check and the connection use the same IP.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
        var allowed = addresses.FirstOrDefault(_addresses.IsAllowed)
            ?? throw new HttpRequestException($"host {context.DnsEndPoint.Host} resolves only to addresses KeyService does not fetch from");
        var socket = new Socket(allowed.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(allowed, context.DnsEndPoint.Port), cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "Client metadata document {Url} refused: it {Reason}")]
    private partial void LogRefused(string url, string reason);

    private sealed record MetadataDocument(
        [property: JsonPropertyName("client_id")] string? ClientId,
        [property: JsonPropertyName("client_name")] string? ClientName,
        [property: JsonPropertyName("client_uri")] string? ClientUri,
        [property: JsonPropertyName("logo_uri")] string? LogoUri,
        [property: JsonPropertyName("redirect_uris")] string[]? RedirectUris,
        [property: JsonPropertyName("token_endpoint_auth_method")] string? TokenEndpointAuthMethod);
}
