using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace TotService.Authentication;

/// <summary>
/// Loads KeyService's signing keys into JwtBearer's configuration manager at start-up, retrying until KeyService
/// answers, so the first caller does not pay for the fetch; readiness stays unhealthy until then (once loaded, the
/// manager keeps its keys through outages).
/// </summary>
public sealed class SigningKeysWarmUp(
    ConfigurationManager<OpenIdConnectConfiguration> signingKeys,
    KeyServiceJwksRetriever retriever,
    TimeProvider timeProvider) : BackgroundService, IHealthCheck
{
    public const string HealthCheckName = "keyservice-signing-keys";
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!retriever.HasLoadedKeys && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await signingKeys.GetConfigurationAsync(stoppingToken);
            }
            catch (InvalidOperationException)
            {
                // The retriever logged why; try again shortly.
                await Task.Delay(RetryDelay, timeProvider, stoppingToken);
            }
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(retriever.HasLoadedKeys
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("KeyService signing keys have not been loaded yet."));
}
