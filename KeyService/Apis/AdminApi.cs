using Microsoft.AspNetCore.Http.HttpResults;
using KeyService.Keys;

namespace KeyService.Apis;

/// <summary>Key metadata (never key material) for one key of the ring.</summary>
public sealed record KeyInfo(string Kid, string State, DateTimeOffset Created, DateTimeOffset Activates, DateTimeOffset Retires, DateTimeOffset Removes)
{
    public static KeyInfo From(IReadOnlyCollection<KeyMetadata> ring, KeyMetadata key, DateTimeOffset now) => new(
        key.Kid, KeyLifecycle.StateAt(ring, key, now).ToString().ToLowerInvariant(), key.Created, key.Activates, key.Retires, key.Removes);
}

public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/keys").RequireAuthorization(AdminAuthenticationExtensions.AdminPolicy);
        admin.MapGet("/", ListKeys)
            .WithName("ListKeys")
            .WithSummary("Keys of the ring with their state and schedule.");
        admin.MapPost("/rotate", RotateKeys)
            .WithName("RotateKeys")
            .WithSummary("Starts a rotation: a new key is published now and signs after the propagation time. Idempotent while one is pending.");
        return app;
    }

    public static Ok<KeyInfo[]> ListKeys(KeyRingCache cache, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var ring = cache.Current.Ring.Metadata;
        return TypedResults.Ok(ring.OrderBy(k => k.Activates).Select(k => KeyInfo.From(ring, k, now)).ToArray());
    }

    public static async Task<Results<Accepted<KeyInfo>, ProblemHttpResult>> RotateKeys(
        KeyRingManager manager, KeyRingCache cache, TimeProvider time, ILogger<KeyRingManager> logger, CancellationToken cancellationToken)
    {
        var pending = await manager.EnsureAsync(rotateNow: true, cancellationToken);
        if (pending is null)
        {
            return TypedResults.Problem("Another replica is changing the key ring; retry shortly.", statusCode: StatusCodes.Status409Conflict);
        }
        logger.LogInformation("Manual rotation requested; key {KeyId} signs from {Activates:O}", pending.Kid, pending.Activates);
        return TypedResults.Accepted("/admin/keys", KeyInfo.From(cache.Current.Ring.Metadata, pending, time.GetUtcNow()));
    }
}
