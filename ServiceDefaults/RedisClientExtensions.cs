using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The contract of Aspire.StackExchange.Redis without the package: an <see cref="IConnectionMultiplexer"/>
/// singleton from <c>ConnectionStrings:{name}</c> (or <c>Aspire:StackExchange:Redis:ConnectionString</c>),
/// <c>AbortOnConnectFail=false</c> so a service starts (unready) while Redis is away, and a readiness check
/// named after the connection.
/// </summary>
public static class RedisClientExtensions
{
    public const string DefaultConfigSectionName = "Aspire:StackExchange:Redis";

    public static TBuilder AddRedisClient<TBuilder>(
        this TBuilder builder,
        string connectionName,
        Action<RedisClientSettings>? configureSettings = null) where TBuilder : IHostApplicationBuilder
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionName);

        var settings = new RedisClientSettings();
        builder.Configuration.GetSection(DefaultConfigSectionName).Bind(settings);
        if (builder.Configuration.GetConnectionString(connectionName) is { Length: > 0 } connectionString)
        {
            settings.ConnectionString = connectionString;
        }
        configureSettings?.Invoke(settings);

        if (string.IsNullOrWhiteSpace(settings.ConnectionString))
        {
            throw new InvalidOperationException(
                $"Redis ConnectionString is missing. It should be provided in 'ConnectionStrings:{connectionName}' " +
                $"or under the 'ConnectionString' key in the '{DefaultConfigSectionName}' configuration section.");
        }

        var options = ConfigurationOptions.Parse(settings.ConnectionString);
        options.AbortOnConnectFail = false;
        options.ClientName ??= builder.Environment.ApplicationName;
        builder.Services.AddSingleton<IConnectionMultiplexer>(services =>
        {
            services.GetRequiredService<ILoggerFactory>()
                .CreateLogger(typeof(RedisClientExtensions))
                .LogInformation("Connecting to Redis at {Endpoints}", string.Join(',', options.EndPoints));
            return ConnectionMultiplexer.Connect(options);
        });

        if (!settings.DisableHealthChecks)
        {
            builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>(connectionName, tags: ["ready"]);
        }

        return builder;
    }
}

/// <summary>Settings bound from <c>Aspire:StackExchange:Redis</c>, as in Aspire.StackExchange.Redis.</summary>
public sealed class RedisClientSettings
{
    public string? ConnectionString { get; set; }

    public bool DisableHealthChecks { get; set; }
}
