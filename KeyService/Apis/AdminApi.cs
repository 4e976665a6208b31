using System.Security.Claims;
using KeyService.Diagnostics;
using KeyService.Keys;
using KeyService.Tokens;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace KeyService.Apis;

/// <summary>Key metadata (never key material) for one key of the ring.</summary>
public sealed record KeyInfo(string Kid, string State, DateTimeOffset Created, DateTimeOffset Activates, DateTimeOffset Retires, DateTimeOffset Removes)
{
    public static KeyInfo From(IReadOnlyCollection<KeyMetadata> ring, KeyMetadata key, DateTimeOffset now) => new(
        key.Kid, KeyLifecycle.StateNameAt(ring, key, now), key.Created, key.Activates, key.Retires, key.Removes);
}

/// <summary>What a restore put back, and the ring after it.</summary>
public sealed record RestoreResponse(string[] Restored, KeyInfo[] Keys);

public static class AdminApi
{
    /// <summary>A backup of a handful of keys is a few kilobytes.</summary>
    public const long MaxBackupBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/keys").RequireAuthorization(AdminAuthenticationExtensions.AdminPolicy);
        admin.MapGet("/", ListKeys)
            .WithName("ListKeys")
            .WithSummary("Keys of the ring with their state and schedule.");
        admin.MapPost("/rotate", RotateKeys)
            .WithName("RotateKeys")
            .WithSummary("Starts a rotation: a new key is published now and signs after the propagation time. Idempotent while one is pending.");
        admin.MapGet("/backup", BackupKeyRing)
            .WithName("BackupKeyRing")
            .WithSummary("The key ring as stored: schedules and public keys in clear, private keys still encrypted under the key-encryption key.");
        admin.MapPost("/restore", RestoreKeyRing)
            .WithName("RestoreKeyRing")
            .WithSummary("Puts a backup's keys back into the store. Refused while the store holds keys the backup lacks, unless force=true; never removes a key.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBackupBytes));
        return app;
    }

    public static Ok<KeyInfo[]> ListKeys(HttpContext context, KeyRingCache cache, AuditLog audit, TimeProvider time)
    {
        audit.AdminKeysListed(Who(context.User), SourceAddress.Of(context));
        return TypedResults.Ok(Describe(cache.Current.Ring, time.GetUtcNow()));
    }

    public static async Task<Results<Accepted<KeyInfo>, ProblemHttpResult>> RotateKeys(
        HttpContext context, KeyRingManager manager, KeyRingCache cache, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var who = Who(context.User);
        var pending = await manager.EnsureAsync(rotateNow: true, who, cancellationToken);
        audit.AdminRotationRequested(who, SourceAddress.Of(context), pending is null ? "conflict" : "accepted", pending?.Kid);
        if (pending is null)
        {
            return TypedResults.Problem("Another replica is changing the key ring; retry shortly.", statusCode: StatusCodes.Status409Conflict);
        }
        return TypedResults.Accepted("/admin/keys", KeyInfo.From(cache.Current.Ring.Metadata, pending, time.GetUtcNow()));
    }

    public static FileContentHttpResult BackupKeyRing(HttpContext context, KeyRingBackup backup, AuditLog audit, TimeProvider time)
    {
        var (document, keyCount) = backup.Export();
        audit.KeyRingBackedUp(Who(context.User), SourceAddress.Of(context), keyCount);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(document, "application/json", $"keyring-{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}.json");
    }

    public static async Task<Results<Ok<RestoreResponse>, ProblemHttpResult>> RestoreKeyRing(
        HttpContext context, KeyRingBackup backup, KeyRingCache cache, AuditLog audit, TimeProvider time, bool? force, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, cancellationToken);
        var result = await backup.RestoreAsync(body.GetBuffer().AsMemory(0, (int)body.Length), force == true, cancellationToken);
        var (who, source) = (Who(context.User), SourceAddress.Of(context));
        if (Refusal(result) is { } refusal)
        {
            audit.KeyRingRestoreRefused(who, source, result.Outcome.ToString());
            return TypedResults.Problem(refusal.Detail, statusCode: refusal.Status, title: "Key ring not restored");
        }
        audit.KeyRingRestored(who, source, result.RestoredKeyIds.Count, force == true, string.Join(' ', result.RestoredKeyIds));
        return TypedResults.Ok(new RestoreResponse([.. result.RestoredKeyIds], Describe(cache.Current.Ring, time.GetUtcNow())));
    }

    private static (string Detail, int Status)? Refusal(RestoreResult result) => result.Outcome switch
    {
        RestoreOutcome.NotABackup => ("The body is not a key ring backup (GET /admin/keys/backup) or holds no keys.", StatusCodes.Status400BadRequest),
        RestoreOutcome.OtherKeyEncryptionKey => ("The backup's private keys do not decrypt under this service's KeyService:KeyEncryptionKey: " +
            "it was made under another key-encryption key. Restore it into a KeyService configured with that key.", StatusCodes.Status422UnprocessableEntity),
        RestoreOutcome.StoreNotEmpty => ($"The key ring store holds {result.ForeignKeys} key(s) the backup does not have. Retry with force=true to add " +
            "the backup's keys beside them (no key is removed).", StatusCodes.Status409Conflict),
        RestoreOutcome.StoreUnreadable => ("The key ring store holds a ring this service cannot decrypt; it is not overwritten.", StatusCodes.Status409Conflict),
        RestoreOutcome.Busy => ("Another replica is changing the key ring; retry shortly.", StatusCodes.Status409Conflict),
        _ => null,
    };

    private static KeyInfo[] Describe(KeyRing ring, DateTimeOffset now) =>
        [.. ring.Metadata.OrderBy(k => k.Activates).Select(k => KeyInfo.From(ring.Metadata, k, now))];

    /// <summary>The admin client's id (the token's <c>client_id</c>), for the audit.</summary>
    public static string Who(ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";
}
