using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using TotService.Configuration;

namespace TotService.Authentication;

public static class KeyServiceAuthenticationExtensions
{
    /// <summary>The only token type KeyService issues (RFC 9068).</summary>
    public const string AccessTokenType = "at+jwt";

    /// <summary>
    /// Standard JwtBearer validating KeyService access tokens per DESIGN.md section 5: RS256 only, typ at+jwt,
    /// issuer, audience, lifetime with bounded skew, keys from <see cref="KeyServiceSigningKeys"/>.
    /// Header parameters jku, x5u and jwk are never followed: keys come only from the configured JWKS.
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
        services.AddSingleton<TokenValidationEvents>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<TotServiceOptions>, KeyServiceSigningKeys, TimeProvider>((jwt, totOptions, signingKeys, timeProvider) =>
            {
                var settings = totOptions.Value;
                jwt.ConfigurationManager = signingKeys;
                jwt.RefreshOnIssuerKeyNotFound = true;
                jwt.MapInboundClaims = false;
                jwt.SaveToken = false;
                jwt.IncludeErrorDetails = false;
                jwt.EventsType = typeof(TokenValidationEvents);
                jwt.TokenHandlers.Clear();
                // Remembers validated tokens: the signature is checked once per token, not once per request.
                jwt.TokenHandlers.Add(new CachingJsonWebTokenHandler(timeProvider)
                {
                    MapInboundClaims = false,
                    MaximumTokenSizeInBytes = settings.MaxTokenBytes,
                });
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                    ValidTypes = [AccessTokenType],
                    ClockSkew = settings.ClockSkew,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidateIssuer = true,
                    ValidateAudience = true,
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
}
