using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TotService.Authentication;

/// <summary>
/// Loads KeyService's signing keys at start-up, retrying until it answers, so the first caller does not pay
/// for the fetch; readiness stays unhealthy until then (once loaded, cached keys keep it ready through outages).
/// </summary>
public sealed class SigningKeysWarmUp(KeyServiceSigningKeys signingKeys, TimeProvider timeProvider) : BackgroundService, IHealthCheck
{
    public const string HealthCheckName = "keyservice-signing-keys";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!signingKeys.HasKeys && !stoppingToken.IsCancellationRequested)
        {
            await signingKeys.LoadInitialKeysAsync(stoppingToken);
            if (!signingKeys.HasKeys)
            {
                await Task.Delay(RetryDelay, timeProvider, stoppingToken);
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(signingKeys.HasKeys
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("KeyService signing keys have not been loaded yet."));
}
