using KeyService.Diagnostics;
using KeyService.Keys;
using KeyService.Options;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace KeyService.Apis;

public static class JwksApi
{
    public const string Path = "/.well-known/jwks.json";

    public static IEndpointRouteBuilder MapJwksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, GetJwks)
            .WithName("GetJwks")
            .WithSummary("RFC 7517 JSON Web Key Set: public keys in states published, active and retired.")
            .AllowAnonymous();
        return app;
    }

    /// <summary>Serves the precomputed bytes; a matching <c>If-None-Match</c> gets 304 without a body.</summary>
    public static IResult GetJwks(HttpContext context, KeyRingCache cache, IOptions<KeyServiceOptions> options, KeyServiceMetrics metrics)
    {
        var snapshot = cache.Current;
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = "*";
        headers.AccessControlExposeHeaders = HeaderNames.ETag;
        headers.ETag = snapshot.ETag;
        // An empty set (before the first key exists) must not be cached for an hour by validators.
        headers.CacheControl = snapshot.Ring.IsEmpty
            ? "no-store"
            : $"public, max-age={(long)options.Value.JwksMaxAge.TotalSeconds}";

        // If-None-Match uses the weak comparison (RFC 9110 section 13.1.2): W/"x" matches "x".
        var notModified = context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags
            && tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Tag == snapshot.ETag);
        metrics.JwksRequest(notModified);
        return notModified
            ? Results.StatusCode(StatusCodes.Status304NotModified)
            : Results.Bytes(snapshot.Jwks, "application/json");
    }
}
