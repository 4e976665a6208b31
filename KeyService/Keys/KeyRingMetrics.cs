using System.Diagnostics.Metrics;
using KeyService.Diagnostics;

namespace KeyService.Keys;

/// <summary>
/// The key ring's instruments on meter <c>TotMcp.KeyService</c>: <c>keyservice_key_rotations_total</c>,
/// <c>keyservice_active_key_age_seconds</c>, <c>keyservice_keys</c>. The service's other instruments are in
/// <see cref="KeyServiceMetrics"/>, on the same meter.
/// </summary>
public sealed class KeyRingMetrics
{
    private readonly Counter<long> _rotations;

    public KeyRingMetrics(IMeterFactory meterFactory, KeyRingCache cache, TimeProvider time)
    {
        var meter = meterFactory.Create(KeyServiceMetrics.MeterName);
        _rotations = meter.CreateCounter<long>("keyservice.key.rotations", "{rotation}",
            "Keys created by this replica, by reason (initial, scheduled, manual).");
        meter.CreateObservableGauge("keyservice.active_key.age", () => ActiveKeyAge(cache, time), "s",
            "Seconds since the signing key started signing.");
        meter.CreateObservableGauge("keyservice.keys", () => KeysPerState(cache, time), "{key}",
            "Keys in the ring by state (published, active, retired).");
    }

    public void Rotation(RotationReason reason) => _rotations.Add(1, new KeyValuePair<string, object?>("reason", reason.ToString().ToLowerInvariant()));

    private static IEnumerable<Measurement<double>> ActiveKeyAge(KeyRingCache cache, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return cache.Current.Ring.SigningKeyAt(now) is { } key
            ? [new Measurement<double>((now - key.Metadata.Activates).TotalSeconds)]
            : [];
    }

    private static IEnumerable<Measurement<int>> KeysPerState(KeyRingCache cache, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var keys = cache.Current.Ring.Metadata;
        var counts = keys.GroupBy(k => KeyLifecycle.StateAt(keys, k, now)).ToDictionary(g => g.Key, g => g.Count());
        return Enum.GetValues<KeyState>().Select(state => new Measurement<int>(
            counts.GetValueOrDefault(state), new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant())));
    }
}
