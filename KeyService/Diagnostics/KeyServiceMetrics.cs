using System.Diagnostics.Metrics;
using KeyService.Keys;

namespace KeyService.Diagnostics;

/// <summary>
/// Instruments of meter <c>TotMcp.KeyService</c> (exported by ServiceDefaults). Prometheus names:
/// <c>keyservice_tokens_issued_total</c>, <c>keyservice_token_endpoint_failures_total</c>,
/// <c>keyservice_jwks_requests_total</c>, <c>keyservice_key_rotations_total</c>,
/// <c>keyservice_active_key_age_seconds</c>, <c>keyservice_keys</c>, <c>keyservice_client_registrations_total</c>.
/// </summary>
public sealed class KeyServiceMetrics
{
    public const string MeterName = "TotMcp.KeyService";

    private readonly Counter<long> _tokens;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _jwksRequests;
    private readonly Counter<long> _rotations;
    private readonly Counter<long> _registrations;

    public KeyServiceMetrics(IMeterFactory meterFactory, KeyRingCache cache, TimeProvider time)
    {
        var meter = meterFactory.Create(MeterName);
        _tokens = meter.CreateCounter<long>("keyservice.tokens.issued", "{token}",
            "Token requests by client and result (success or the OAuth error code).");
        _failures = meter.CreateCounter<long>("keyservice.token_endpoint.failures", "{request}",
            "Token endpoint requests that ended in an OAuth error, by error code.");
        _jwksRequests = meter.CreateCounter<long>("keyservice.jwks.requests", "{request}",
            "JWKS requests by result (ok or not_modified).");
        _rotations = meter.CreateCounter<long>("keyservice.key.rotations", "{rotation}",
            "Keys created by this replica, by reason (initial, scheduled, manual).");
        _registrations = meter.CreateCounter<long>("keyservice.client_registrations", "{request}",
            "Dynamic client registrations by result (created, full, invalid, rate_limited).");
        meter.CreateObservableGauge("keyservice.active_key.age", () => ActiveKeyAge(cache, time), "s",
            "Seconds since the signing key started signing.");
        meter.CreateObservableGauge("keyservice.keys", () => KeysPerState(cache, time), "{key}",
            "Keys in the ring by state (published, active, retired).");
    }

    /// <summary><paramref name="clientId"/> must be a configured client id (or "unknown"), never caller input.</summary>
    public void TokenRequest(string clientId, string result)
    {
        _tokens.Add(1, new("client_id", clientId), new("result", result));
        if (result != "success")
        {
            _failures.Add(1, new("client_id", clientId), new("error", result));
        }
    }

    public void ClientRegistration(string result) => _registrations.Add(1, new KeyValuePair<string, object?>("result", result));

    public void JwksRequest(bool notModified) => _jwksRequests.Add(1, new KeyValuePair<string, object?>("result", notModified ? "not_modified" : "ok"));

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
