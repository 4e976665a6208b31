namespace TotService.RateLimiting;

public static class RateLimitingExtensions
{
    public static IHostApplicationBuilder AddPerClientRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy<string, PerClientRateLimitPolicy>(PerClientRateLimitPolicy.Name);
        });
        return builder;
    }
}
