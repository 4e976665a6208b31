namespace TotService.Hardening;

public static class TransportHardeningExtensions
{
    /// <summary>Kestrel-wide limits; the per-endpoint body cap for /mcp is applied by <see cref="TransportGuardMiddleware"/>.</summary>
    public static IHostApplicationBuilder AddTransportHardening(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Room for a 16 KB token plus ordinary headers; anything bigger is refused by Kestrel itself.
            kestrel.Limits.MaxRequestHeadersTotalSize = 48 * 1024;
        });
        builder.AddPerClientRateLimiting();
        builder.AddSafeErrorResponses();
        return builder;
    }

    public static IApplicationBuilder UseTransportGuard(this IApplicationBuilder app) =>
        app.UseMiddleware<TransportGuardMiddleware>();
}
