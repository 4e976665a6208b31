namespace TotService.Hardening;

public static class TransportHardeningExtensions
{
    /// <summary>
    /// Kestrel-wide limits, the per-client rate limiter and safe error responses; the per-endpoint body cap for /mcp
    /// and every other check in front of the MCP SDK are applied by <see cref="McpGateMiddleware"/>.
    /// </summary>
    public static IHostApplicationBuilder AddTransportHardening(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Room for a 16 KB token plus ordinary headers; anything bigger is refused by Kestrel itself.
            kestrel.Limits.MaxRequestHeadersTotalSize = 48 * 1024;
        });
        builder.Services.AddSingleton<PerClientRateLimiter>();
        builder.AddSafeErrorResponses();
        return builder;
    }

    /// <summary>Host/Origin, body cap, bearer token, rate limit and scopes in front of <c>/mcp</c>: <see cref="McpGateMiddleware"/>.</summary>
    public static IApplicationBuilder UseMcpGate(this IApplicationBuilder app) =>
        app.UseMiddleware<McpGateMiddleware>();
}
