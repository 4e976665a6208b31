using TotService.Authentication;
using TotService.Authorization;
using TotService.Configuration;
using TotService.Diagnostics;
using TotService.Http;
using TotService.Mcp;
using TotService.RateLimiting;
using TotService.Tools;

namespace TotService;

/// <summary>
/// The service's table of contents, shared by <c>Program.cs</c> and the in-process tests so both run the
/// same wiring. Middleware order matters and is spelled out in <see cref="MapTotService"/>.
/// </summary>
public static class TotServiceComposition
{
    public static WebApplicationBuilder AddTotService(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        if (builder.Configuration.GetConnectionString("redis") is not null)
        {
            builder.AddRedisClientDefaults("redis");
        }
        builder.AddTotServiceOptions();
        builder.Services.AddSingleton<TotServiceMetrics>();
        builder.Services.AddSingleton<AuditLog>();      // refusals for scope, rate and invalid tokens (TotService.Audit)
        builder.AddHttpPerimeter();             // Kestrel limits, no Server header, ProblemDetails without internals
        builder.AddKeyServiceAuthentication();  // JwtBearer for KeyService tokens, JWKS through ConfigurationManager
        builder.AddTotAuthorization();          // a policy per scope, and /mcp's
        builder.AddPerClientRateLimiting();     // token bucket per token subject
        builder.AddTotMcpServer();
        builder.AddTotTools();                  // ToT engine, background runs, trees, stores (Redis or memory)
        return builder;
    }

    public static WebApplication MapTotService(this WebApplication app)
    {
        app.UseSafeErrorResponses();            // ProblemDetails, never exception details
        app.UseRequestSources();                // /mcp and metadata: Host and Origin
        app.UseMcpRequestMetrics();             // /mcp: every request counted, refused ones too
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseMcpRequestGuard();               // POST /mcp: media type, body cap, one reading of the body, tool scopes

        app.MapDefaultEndpoints();
        app.MapProtectedResourceMetadataApi();
        app.MapTotMcpApi();
        return app;
    }
}
