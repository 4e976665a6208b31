using System.Globalization;
using KeyService.Diagnostics;
using KeyService.Keys;
using KeyService.Options;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace KeyService.Apis;

/// <summary>
/// Writes the ring's precomputed JWKS bytes with a strong ETag; a matching <c>If-None-Match</c> gets 304 without a
/// body. Every header value is computed once (here or with the snapshot), not per request.
/// </summary>
public sealed class JwksResponder(KeyRingCache cache, IOptions<KeyServiceOptions> options, KeyServiceMetrics metrics)
{
    private const string JsonContentType = "application/json";

    // An empty set (before the first key exists) must not be cached for an hour by validators.
    private static readonly StringValues NoStore = "no-store";

    private readonly StringValues _cacheable =
        string.Create(CultureInfo.InvariantCulture, $"public, max-age={(long)options.Value.JwksMaxAge.TotalSeconds}");

    public Task WriteAsync(HttpContext context)
    {
        var snapshot = cache.Current;
        var response = context.Response;
        var headers = response.Headers;
        if (!cache.Loaded)
        {
            // A replica that has just started and not read the ring yet must not publish "no keys": a validator would
            // take it as the key set (measured in the resilience suite: a restarted replica listened about 100 ms
            // before its ring was read). 503 is retried by clients' resilience handlers, which reach another replica.
            headers.CacheControl = NoStore;
            headers.RetryAfter = "1";
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlExposeHeaders = HeaderNames.ETag;
        headers.ETag = snapshot.ETag;
        headers.CacheControl = snapshot.Ring.IsEmpty ? NoStore : _cacheable;

        var notModified = Matches(context.Request.Headers.IfNoneMatch, snapshot.ETag);
        metrics.JwksRequest(notModified);
        if (notModified)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.ContentType = JsonContentType;
        response.ContentLength = snapshot.Jwks.Length;
        return response.Body.WriteAsync(snapshot.Jwks, 0, snapshot.Jwks.Length, context.RequestAborted);
    }

    /// <summary>If-None-Match uses the weak comparison (RFC 9110 section 13.1.2): W/"x" matches "x", and * matches.</summary>
    private static bool Matches(StringValues ifNoneMatch, string etag) =>
        ifNoneMatch.Count > 0
        && EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)
        && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Tag == etag);
}
