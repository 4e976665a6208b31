namespace TotService.Hardening;

public static class RateLimitingExtensions
{
    /// <summary>The per-client token buckets behind <see cref="UsePerClientRateLimiting"/>.</summary>
    public static IHostApplicationBuilder AddPerClientRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PerClientRateLimiter>();
        return builder;
    }

    /// <summary>Per-subject rate limit on <c>/mcp</c>: see <see cref="PerClientRateLimitingMiddleware"/>.</summary>
    public static IApplicationBuilder UsePerClientRateLimiting(this IApplicationBuilder app) =>
        app.UseMiddleware<PerClientRateLimitingMiddleware>();
}
