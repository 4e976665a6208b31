using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TotService.Runs;
using TotService.Trees;

namespace TotService.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The run, transcript and tree stores and the cancellation bus: Redis when <c>ConnectionStrings:redis</c> is set (shared by
    /// replicas), otherwise this process's memory.
    /// </summary>
    public static IHostApplicationBuilder AddTotStores(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        if (builder.Configuration.GetConnectionString("redis") is { Length: > 0 })
        {
            services.AddSingleton<IRunStore>(sp => new RedisRunStore(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RunOptions>>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<ITreeStore>(sp => new RedisTreeStore(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RunOptions>>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IRunCancellationBus>(sp => new RedisRunCancellationBus(sp.GetRequiredService<IConnectionMultiplexer>()));
            services.AddSingleton<IModelTranscriptStore>(sp => new RedisModelTranscriptStore(sp.GetRequiredService<IConnectionMultiplexer>()));
        }
        else
        {
            services.AddSingleton<IRunStore, InMemoryRunStore>();
            services.AddSingleton<ITreeStore, InMemoryTreeStore>();
            services.AddSingleton<IRunCancellationBus, InMemoryRunCancellationBus>();
            services.AddSingleton<IModelTranscriptStore, InMemoryModelTranscriptStore>();
        }
        return builder;
    }
}
