using KeyService.Apis;
using KeyService.Authorization;
using KeyService.Diagnostics;
using KeyService.Keys;
using KeyService.Options;
using KeyService.Storage;
using KeyService.Tokens;

namespace KeyService;

/// <summary>The service's table of contents, shared by <c>Program.cs</c> and the tests that host it on Kestrel.</summary>
public static class KeyServiceExtensions
{
    public static IHostApplicationBuilder AddKeyService(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddErrorHandling();
        builder.AddKeyServiceOptions();
        builder.AddKeyServiceDiagnostics();
        builder.AddKeyRingStorage();
        builder.AddKeyRing();
        builder.AddTokenIssuance();
        builder.AddAdminAuthentication();
        builder.AddAuthorizationCodeFlow();
        builder.AddRegistrationRateLimit();
        builder.Services.AddSingleton<DiscoveryDocument>();
        return builder;
    }

    public static WebApplication MapKeyService(this WebApplication app)
    {
        app.UseErrorHandling();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapDefaultEndpoints();
        app.MapJwksApi();
        app.MapDiscoveryApi();
        app.MapTokenApi();
        app.MapAdminApi();
        app.MapAuthorizationCodeFlow();
        return app;
    }
}
