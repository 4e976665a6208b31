using KeyService.Options;
using Microsoft.Extensions.Options;

namespace KeyService.Keys;

/// <summary>
/// The rotation policy as pure logic over key schedules, so every replica computes the same answer from the same ring.
/// A successor is published <see cref="KeyServiceOptions.PropagationTime"/> before it signs, and a retired key stays
/// published for <see cref="KeyServiceOptions.GraceTime"/> after its last signature.
/// </summary>
public sealed class KeyLifecycle(IOptions<KeyServiceOptions> options)
{
    private readonly KeyServiceOptions _options = options.Value;

    /// <summary>The signing key at <paramref name="now"/>: the most recently activated key still in the ring.</summary>
    public static KeyMetadata? SigningKeyAt(IEnumerable<KeyMetadata> keys, DateTimeOffset now) =>
        keys.Where(k => k.Activates <= now && now < k.Removes)
            .OrderByDescending(k => k.Activates).ThenBy(k => k.Created).ThenBy(k => k.Kid, StringComparer.Ordinal)
            .FirstOrDefault();

    public static KeyState StateAt(IReadOnlyCollection<KeyMetadata> keys, KeyMetadata key, DateTimeOffset now)
    {
        if (now < key.Activates)
        {
            return KeyState.Published;
        }
        return SigningKeyAt(keys, now)?.Kid == key.Kid ? KeyState.Active : KeyState.Retired;
    }

    /// <summary>The state as the admin API and the audit log name it: published, active or retired.</summary>
    public static string StateNameAt(IReadOnlyCollection<KeyMetadata> keys, KeyMetadata key, DateTimeOffset now) =>
        StateAt(keys, key, now).ToString().ToLowerInvariant();

    /// <summary>Keys that belong in the JWKS at <paramref name="now"/> (published, active and retired).</summary>
    public static IEnumerable<KeyMetadata> PublishedAt(IEnumerable<KeyMetadata> keys, DateTimeOffset now) =>
        keys.Where(k => k.Created <= now && now < k.Removes);

    /// <summary>The key waiting to sign, if a rotation is already under way.</summary>
    public static KeyMetadata? PendingAt(IEnumerable<KeyMetadata> keys, DateTimeOffset now) =>
        keys.Where(k => k.Activates > now).OrderBy(k => k.Activates).FirstOrDefault();

    public LifecyclePlan Plan(IReadOnlyList<KeyMetadata> ring, DateTimeOffset now, bool rotateNow = false)
    {
        var keep = ring.Where(k => now < k.Removes).ToList();
        var changed = keep.Count != ring.Count;
        var signing = SigningKeyAt(keep, now);
        var pending = PendingAt(keep, now);

        if (signing is null && pending is null)
        {
            // Nobody can hold a token or a cached JWKS for a key that never existed: the first key signs at once.
            return new LifecyclePlan(keep, Schedule(now, activates: now), RotationReason.Initial, Changed: true);
        }

        // A successor already waiting means a rotation is under way; asking again changes nothing (idempotent).
        if (signing is null || pending is not null || (!rotateNow && now < signing.Retires - _options.PropagationTime))
        {
            return new LifecyclePlan(keep, null, RotationReason.Scheduled, changed);
        }

        var activates = rotateNow ? now + _options.PropagationTime : Max(signing.Retires, now + _options.PropagationTime);
        var retired = signing with { Retires = activates, Removes = activates + _options.GraceTime };
        keep[keep.IndexOf(signing)] = retired;
        return new LifecyclePlan(keep, Schedule(now, activates), rotateNow ? RotationReason.Manual : RotationReason.Scheduled, Changed: true);
    }

    private KeySchedule Schedule(DateTimeOffset now, DateTimeOffset activates)
    {
        var retires = activates + _options.RotationInterval;
        return new KeySchedule(now, activates, retires, retires + _options.GraceTime);
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
