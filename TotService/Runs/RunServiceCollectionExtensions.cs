using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TotService.Engine;
using TotService.Storage;
using TotService.Trees;

namespace TotService.Runs;

public static class RunServiceCollectionExtensions
{
    /// <summary>
    /// The engine, the run executor (hosted), run and tree stores: Redis when <c>ConnectionStrings:redis</c> is set
    /// (shared by replicas), otherwise this process's memory. Options <c>TotService:Runs</c>, validated at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddTotRuns(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddTotEngine();
        services.AddOptions<RunOptions>().BindConfiguration(RunOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunOptions>, RunOptionsValidator>());
        services.AddOptions<TreeOptions>().BindConfiguration(TreeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TreeOptions>, TreeOptionsValidator>());

        if (builder.Configuration.GetConnectionString("redis") is { Length: > 0 })
        {
            services.AddSingleton<IRunStore>(sp => new RedisRunStore(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RunOptions>>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<ITreeStore>(sp => new RedisTreeStore(
                sp.GetRequiredService<IConnectionMultiplexer>(), sp.GetRequiredService<IOptions<RunOptions>>(), sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<IRunCancellationBus>(sp => new RedisRunCancellationBus(sp.GetRequiredService<IConnectionMultiplexer>()));
        }
        else
        {
            services.AddSingleton<IRunStore, InMemoryRunStore>();
            services.AddSingleton<ITreeStore, InMemoryTreeStore>();
            services.AddSingleton<IRunCancellationBus, InMemoryRunCancellationBus>();
        }

        services.AddSingleton<ReplicaIdentity>();
        services.AddSingleton<RunMetrics>();
        services.AddSingleton<LocalRuns>();
        services.AddSingleton<RunScheduler>();
        services.AddSingleton<RunResultBudget>();
        services.AddSingleton<RunExecutor>();
        services.AddHostedService(sp => sp.GetRequiredService<RunExecutor>());
        services.AddHostedService<RunLeaseKeeper>();
        services.AddSingleton<RunQueries>();
        services.AddSingleton<RunCommands>();
        services.AddSingleton<TreeUsageMetrics>();
        services.AddSingleton<TreeCommands>();
        return builder;
    }
}
