using TotService.Authentication;
using TotService.Authorization;
using TotService.Configuration;
using TotService.Diagnostics;
using TotService.Hardening;
using TotService.Mcp;
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
        builder.AddKeyServiceAuthentication();
        builder.AddTransportHardening();
        builder.AddTotMcpServer();
        builder.AddTotTools();                  // ToT engine, background runs, trees, stores (Redis or memory)
        return builder;
    }

    public static WebApplication MapTotService(this WebApplication app)
    {
        app.UseSafeErrorResponses();            // ProblemDetails, never exception details
        app.UseMcpGate();                       // /mcp: Host, Origin, body cap, KeyService token, rate limit, scopes
        app.UseRouting();

        app.MapDefaultEndpoints();
        app.MapProtectedResourceMetadataApi();
        app.MapTotMcpApi();
        return app;
    }
}
