using KeyService.Keys;
using KeyService.Options;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KeyService.Storage;

public static class KeyRingStorageExtensions
{
    /// <summary>
    /// Where the key ring lives: Redis when <c>ConnectionStrings:redis</c> is set (shared by replicas, changes announced
    /// over pub/sub), else a file under <c>KeyService:DataDirectory</c> with a file lock and no change feed.
    /// </summary>
    public static IHostApplicationBuilder AddKeyRingStorage(this IHostApplicationBuilder builder)
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
        return builder;
    }

    private static string DataDirectory(IServiceProvider services) =>
        services.GetRequiredService<IOptions<KeyServiceOptions>>().Value.DataDirectory is { Length: > 0 } configured
            ? configured
            : Path.Combine(services.GetRequiredService<IHostEnvironment>().ContentRootPath, ".data");
}
