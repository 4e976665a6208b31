using KeyService.Options;
using KeyService.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KeyService.Keys;

public static class KeyRingExtensions
{
    /// <summary>
    /// The key ring: Redis store when <c>ConnectionStrings:redis</c> is set, else a file under
    /// <c>KeyService:DataDirectory</c>; encryption at rest, the rotation background service and its readiness check.
    /// </summary>
    public static IHostApplicationBuilder AddKeyRing(this IHostApplicationBuilder builder)
    {
        if (!string.IsNullOrEmpty(builder.Configuration.GetConnectionString("redis")))
        {
            // Our own readiness check decides: a replica holding keys keeps serving while Redis is away.
            builder.AddRedisClientDefaults("redis", healthCheck: false);
            builder.Services.AddSingleton<IKeyRingStore>(sp => new RedisKeyRingStore(sp.GetRequiredService<IConnectionMultiplexer>()));
            builder.Services.AddSingleton<IKeyRingLock>(sp => new RedisKeyRingLock(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton<IKeyRingChangeFeed>(sp => new RedisKeyRingChangeFeed(sp.GetRequiredService<IConnectionMultiplexer>()));
        }
        else
        {
            builder.Services.AddSingleton<IKeyRingStore>(sp => new FileKeyRingStore(DataDirectory(sp)));
            builder.Services.AddSingleton<IKeyRingLock>(sp => new FileKeyRingLock(DataDirectory(sp), sp.GetRequiredService<TimeProvider>()));
            builder.Services.AddSingleton<IKeyRingChangeFeed, NoChangeFeed>();
        }

        builder.Services.AddSingleton(KeyProtectorFactory.Create);
        builder.Services.AddSingleton<KeyRingSerializer>();
        builder.Services.AddSingleton<KeyLifecycle>();
        builder.Services.AddSingleton<RsaKeyFactory>();
        builder.Services.AddSingleton<KeyRingCache>();
        builder.Services.AddSingleton<KeyRingManager>();
        builder.Services.AddSingleton<KeyRingBackup>();
        builder.Services.AddHostedService<KeyRotationService>();
        builder.Services.AddHealthChecks().AddCheck<KeyRingHealthCheck>("keyring", tags: ["ready"]);
        return builder;
    }

    private static string DataDirectory(IServiceProvider services) =>
        services.GetRequiredService<IOptions<KeyServiceOptions>>().Value.DataDirectory is { Length: > 0 } configured
            ? configured
            : Path.Combine(services.GetRequiredService<IHostEnvironment>().ContentRootPath, ".data");
}
