using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

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
        // ServiceDefaults gives every client the standard resilience handler and service discovery, in that order: each
        // retry attempt is resolved again and so goes to the next KeyService replica (round robin). This client swaps
        // the handler for one with short retries (the defaults' 30 s would hold back the key cache, which retries on
        // its own cadence), and a handler added per client lands inside service discovery, where every attempt would
        // go to the replica picked first. Measured in the resilience suite: a valid token of a freshly activated key
        // was refused while that replica was restarting. So the new handler is moved back to the outside.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental, and the documented way to replace the defaults' handler.
        var jwksClient = services.AddHttpClient(KeyServiceSigningKeys.HttpClientName, client =>
        {
            client.MaxResponseContentBufferSize = 1024 * 1024;
            client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        });
        jwksClient.RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.Retry.MaxRetryAttempts = 2;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(100);
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(9);
            });
#pragma warning restore EXTEXP0001
        jwksClient.ConfigureAdditionalHttpMessageHandlers(static (handlers, _) => MoveResilienceOutermost(handlers));
        services.AddSingleton<KeyServiceSigningKeys>();
        services.AddSingleton<SigningKeysWarmUp>();
        services.AddHostedService(provider => provider.GetRequiredService<SigningKeysWarmUp>());
        services.AddHealthChecks().AddCheck<SigningKeysWarmUp>(SigningKeysWarmUp.HealthCheckName, tags: ["ready"]);
        services.AddSingleton<BearerChallenge>();

        services.AddSingleton<BearerTokenReader>();
        services.AddSingleton<KeyServiceTokenValidator>();
        return builder;
    }

    private static void MoveResilienceOutermost(IList<DelegatingHandler> handlers)
    {
        var resilience = handlers.OfType<ResilienceHandler>().Single();
        handlers.Remove(resilience);
        handlers.Insert(0, resilience);
    }
}
