using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace KeyService.Keys;

/// <summary>
/// Readiness: unhealthy without a signing key (nothing to issue with); degraded, but still serving, when the store is
/// unreachable and a ring is cached.
/// </summary>
public sealed class KeyRingHealthCheck(KeyRingCache cache, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            cache.Current.Ring.SigningKeyAt(time.GetUtcNow()) is null ? HealthCheckResult.Unhealthy("No active signing key.")
            : !cache.StoreReachable ? HealthCheckResult.Degraded("Key ring store unreachable; serving cached keys.")
            : HealthCheckResult.Healthy());
}
