using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TotService.Authentication;

public static class KeyServiceAuthenticationExtensions
{
    /// <summary>
    /// Validation of KeyService access tokens per DESIGN.md section 5 (<see cref="KeyServiceTokenValidator"/>), with
    /// keys only from KeyService's JWKS (<see cref="KeyServiceSigningKeys"/>). <see cref="Hardening.McpGateMiddleware"/>
    /// authenticates every <c>/mcp</c> request with it; nothing else in TotService needs a caller.
    /// </summary>
    public static IHostApplicationBuilder AddKeyServiceAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        // The JWKS client gets service discovery from ServiceDefaults' HttpClient defaults. Their standard
        // resilience handler would retry for up to 30 s; the key cache already retries on its own cadence, and a
        // stuck fetch would hold back the next one after an outage, so this client gets a short-retry variant.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental, and the documented way to replace the defaults' handler.
        services.AddHttpClient(KeyServiceSigningKeys.HttpClientName, client =>
            {
                client.MaxResponseContentBufferSize = 1024 * 1024;
                client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
            })
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = 1;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(9);
            });
#pragma warning restore EXTEXP0001
        services.AddSingleton<KeyServiceSigningKeys>();
        services.AddSingleton<SigningKeysWarmUp>();
        services.AddHostedService(provider => provider.GetRequiredService<SigningKeysWarmUp>());
        services.AddHealthChecks().AddCheck<SigningKeysWarmUp>(SigningKeysWarmUp.HealthCheckName, tags: ["ready"]);
        services.AddSingleton<BearerChallenge>();

        services.AddSingleton<BearerTokenReader>();
        services.AddSingleton<KeyServiceTokenValidator>();
        return builder;
    }
}
