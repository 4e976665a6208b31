using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using TotService.Configuration;
using TotService.Identity;

namespace TotService.Authentication;

public static class KeyServiceAuthenticationExtensions
{
    /// <summary>
    /// ASP.NET Core authentication with one JwtBearer scheme for KeyService access tokens: RS256 only, <c>typ</c>
    /// <c>at+jwt</c>, issuer, audience, lifetime with bounded skew, a subject, keys only from KeyService's JWKS through
    /// JwtBearer's <see cref="ConfigurationManager{T}"/> (header parameters <c>jku</c>, <c>x5u</c> and <c>jwk</c> are
    /// never followed), the token from the Authorization header only, and validated tokens remembered by
    /// <see cref="CachingJsonWebTokenHandler"/>.
    /// </summary>
    public static IHostApplicationBuilder AddKeyServiceAuthentication(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        AddJwksClient(services);
        services.AddSingleton<KeyServiceJwksRetriever>();
        services.AddSingleton<ConfigurationManager<OpenIdConnectConfiguration>>(provider =>
        {
            var settings = provider.GetRequiredService<IOptions<TotServiceOptions>>().Value;
            return new KeyServiceSigningKeys(provider.GetRequiredService<KeyServiceJwksRetriever>())
            {
                // The manager refuses intervals under its minimum; shorter settings (tests, benchmarks) get the minimum.
                RefreshInterval = settings.JwksRefreshInterval < BaseConfigurationManager.MinimumRefreshInterval
                    ? BaseConfigurationManager.MinimumRefreshInterval
                    : settings.JwksRefreshInterval,
                AutomaticRefreshInterval = settings.JwksAutomaticRefreshInterval,
            };
        });
        services.AddSingleton<SigningKeysWarmUp>();
        services.AddHostedService(provider => provider.GetRequiredService<SigningKeysWarmUp>());
        services.AddHealthChecks().AddCheck<SigningKeysWarmUp>(SigningKeysWarmUp.HealthCheckName, tags: ["ready"]);
        services.AddSingleton<BearerChallenge>();
        services.AddSingleton<BearerTokenMemo>();
        services.AddSingleton<KeyServiceBearerEvents>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<TotServiceOptions>, ConfigurationManager<OpenIdConnectConfiguration>, KeyServiceJwksRetriever, TimeProvider>(
                static (bearer, options, signingKeys, retriever, timeProvider) =>
                {
                    var settings = options.Value;
                    bearer.MapInboundClaims = false;
                    bearer.IncludeErrorDetails = false;     // no error_description: the metric and the log say why
                    bearer.SaveToken = false;
                    bearer.RefreshOnIssuerKeyNotFound = true;
                    bearer.EventsType = typeof(KeyServiceBearerEvents);
                    bearer.ConfigurationManager = signingKeys;
                    bearer.TokenHandlers.Clear();
                    bearer.TokenHandlers.Add(new CachingJsonWebTokenHandler(timeProvider, retriever)
                    {
                        MapInboundClaims = false,
                        MaximumTokenSizeInBytes = settings.MaxTokenBytes,
                    });
                    bearer.TokenValidationParameters = new TokenValidationParameters
                    {
                        ValidIssuer = settings.Issuer,
                        ValidAudience = settings.Audience,
                        ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                        ValidTypes = [TotClaims.AccessTokenType],
                        ClockSkew = settings.ClockSkew,
                        RequireExpirationTime = true,
                        RequireSignedTokens = true,
                        ValidateIssuer = true,
                        ValidateAudience = true,
                        IgnoreTrailingSlashWhenValidatingAudience = false, // the audience is one exact URL
                        ValidateLifetime = true,
                        ValidateIssuerSigningKey = true,
                        // KeyService always sends a kid; a token must name a published key, not be tried against all.
                        TryAllIssuerSigningKeys = false,
                        NameClaimType = TotClaims.Subject,
                        RoleClaimType = TotClaims.Scope,
                    };
                });
        return builder;
    }

    /// <summary>
    /// ServiceDefaults gives every client the standard resilience handler and service discovery, in that order: each
    /// retry is resolved again and so goes to the next KeyService replica. This client swaps the handler for one with
    /// short retries (the defaults' 30 s would hold back the key cache), and a handler added per client lands inside
    /// service discovery, where every attempt would go to the replica picked first: so it is moved back outside.
    /// </summary>
    private static void AddJwksClient(IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is experimental, and the documented way to replace the defaults' handler.
        var jwksClient = services.AddHttpClient(KeyServiceJwksRetriever.HttpClientName, client =>
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
    }

    private static void MoveResilienceOutermost(IList<DelegatingHandler> handlers)
    {
        var resilience = handlers.OfType<ResilienceHandler>().Single();
        handlers.Remove(resilience);
        handlers.Insert(0, resilience);
    }
}
