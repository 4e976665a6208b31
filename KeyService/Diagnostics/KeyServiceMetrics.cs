using System.Diagnostics.Metrics;

namespace KeyService.Diagnostics;

/// <summary>
/// Instruments of meter <c>TotMcp.KeyService</c> (exported by ServiceDefaults). Prometheus names:
/// <c>keyservice_tokens_issued_total</c>, <c>keyservice_token_endpoint_failures_total</c>,
/// <c>keyservice_jwks_requests_total</c>, <c>keyservice_client_registrations_total</c>; the key ring's own are in
/// <c>Keys.KeyRingMetrics</c>, on the same meter.
/// </summary>
public sealed class KeyServiceMetrics
{
    public const string MeterName = "TotMcp.KeyService";

    private readonly Counter<long> _tokens;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _jwksRequests;
    private readonly Counter<long> _registrations;
    private readonly Counter<long> _consents;

    public KeyServiceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _tokens = meter.CreateCounter<long>("keyservice.tokens.issued", "{token}",
            "Token requests by client and result (success or the OAuth error code).");
        _failures = meter.CreateCounter<long>("keyservice.token_endpoint.failures", "{request}",
            "Token endpoint requests that ended in an OAuth error, by error code.");
        _jwksRequests = meter.CreateCounter<long>("keyservice.jwks.requests", "{request}",
            "JWKS requests by result (ok or not_modified).");
        _registrations = meter.CreateCounter<long>("keyservice.client_registrations", "{request}",
            "Dynamic client registrations by result (created, full, invalid, rate_limited).");
        _consents = meter.CreateCounter<long>("keyservice.consents", "{consent}",
            "People's consents to clients by result (remembered, full, revoked).");
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

    public void Consent(string result) => _consents.Add(1, new KeyValuePair<string, object?>("result", result));

    public void ClientRegistration(string result) => _registrations.Add(1, new KeyValuePair<string, object?>("result", result));

    public void JwksRequest(bool notModified) => _jwksRequests.Add(1, new KeyValuePair<string, object?>("result", notModified ? "not_modified" : "ok"));
}
