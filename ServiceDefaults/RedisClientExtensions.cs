namespace Microsoft.Extensions.Hosting;

public static class RedisClientExtensions
{
    /// <summary>
    /// Aspire.StackExchange.Redis's client with the services' defaults: the service starts (unready) and reconnects by
    /// itself while Redis is away, and Redis calls are traced only when an OTLP collector is configured (without one,
    /// nothing would read the spans that every call pays for).
    /// </summary>
    public static TBuilder AddRedisClientDefaults<TBuilder>(this TBuilder builder, string connectionName, bool healthCheck = true)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddRedisClient(connectionName,
            settings =>
            {
                settings.DisableHealthChecks = !healthCheck;
                settings.DisableTracing = string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            },
            options => options.AbortOnConnectFail = false);
        return builder;
    }
}
