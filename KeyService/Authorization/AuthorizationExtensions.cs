using KeyService.Keys;
using KeyService.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KeyService.Authorization;

public static class AuthorizationExtensions
{
    /// <summary>CORS for the registration, token and revocation endpoints.</summary>
    public const string PublicEndpointsCorsPolicy = "oauth-public-endpoints";

    /// <summary>The cookie scheme of a person signed in at KeyService (either sign-in), for the authorize endpoint only.</summary>
    public const string SignInScheme = "KeyService.SignIn";

    /// <summary>
    /// Authorization code with PKCE for people: the request checks, codes, refresh tokens and consents in the shared
    /// store (Redis when <c>ConnectionStrings:redis</c> is set, else this process), sign-in at the organisation's
    /// identity provider when one is configured, the development sign-in, the sign-in cookie and anti-forgery. The endpoints answer only while <see cref="AuthorizationOptions.Enabled"/>.
    /// </summary>
    public static IHostApplicationBuilder AddAuthorizationCodeFlow(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthorizationOptions>().BindConfiguration(AuthorizationOptions.SectionName).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuthorizationOptions>, AuthorizationOptionsValidator>());
        // Cookies and anti-forgery tokens made by one replica are read by another: the Data Protection keys are shared
        // (in Redis when it is configured) and encrypted at rest under the key-encryption key.
        builder.Services.AddDataProtection().SetApplicationName("keyservice");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<KeyProtector>((keys, protector) => keys.XmlEncryptor = new KeyEncryptionKeyXmlEncryptor(protector));
        if (!string.IsNullOrEmpty(builder.Configuration.GetConnectionString("redis")))
        {
            builder.Services.AddSingleton<IGrantStore>(sp => new RedisGrantStore(sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<TimeProvider>()));
            builder.Services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((keys, redis) =>
                keys.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), RedisGrantStore.Prefix + "dataprotection"));
        }
        else
        {
            builder.Services.AddSingleton<IGrantStore, MemoryGrantStore>();
        }
        builder.Services.AddSingleton<ClientRegistrations>();
        builder.Services.AddSingleton<IAuthorizationClientSource>(sp => sp.GetRequiredService<ClientRegistrations>());
        builder.Services.AddSingleton<OutboundAddressPolicy>();
        builder.Services.AddSingleton<IAuthorizationClientSource, ClientMetadataDocuments>();
        builder.Services.AddSingleton<AuthorizationClientResolver>();
        builder.Services.AddSingleton<AuthorizationRequestValidator>();
        builder.Services.AddSingleton<AuthorizationCodes>();
        builder.Services.AddSingleton<RefreshTokens>();
        builder.Services.AddSingleton<Consents>();
        builder.Services.AddSingleton<DevelopmentSignIn>();
        builder.Services.AddSingleton<GrantClientAuthenticator>();
        builder.Services.AddSingleton<AuthorizationCodeGrant>();

        // Browser-based MCP clients (the MCP Inspector's web UI) call these from their own origin. Nothing they answer
        // depends on cookies, so any origin may read them, without credentials.
        builder.Services.AddCors(cors => cors.AddPolicy(PublicEndpointsCorsPolicy, policy => policy.AllowAnyOrigin().AllowAnyHeader().WithMethods("POST")));
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "keyservice.antiforgery";
            antiforgery.Cookie.Path = "/connect/authorize";
            antiforgery.SuppressXFrameOptionsHeader = true;
        });
        var authentication = builder.Services.AddAuthentication();
        if (!string.IsNullOrEmpty(builder.Configuration[$"{AuthorizationOptions.SectionName}:Upstream:Authority"]))
        {
            authentication.AddUpstreamSignIn();
        }
        authentication.AddCookie(SignInScheme, cookie =>
        {
            cookie.Cookie.Name = "keyservice.signin";
            cookie.Cookie.Path = "/connect/authorize";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(1);
            cookie.SlidingExpiration = false;
        });
        return builder;
    }
}
