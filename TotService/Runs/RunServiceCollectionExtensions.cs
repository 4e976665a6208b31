using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TotService.Engine;

namespace TotService.Runs;

public static class RunServiceCollectionExtensions
{
    /// <summary>
    /// The engine and the run executor (hosted), with its queries and commands; the stores come from
    /// <c>AddTotStores</c>. Options <c>TotService:Runs</c>, validated at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddTotRuns(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddTotEngine();
        services.AddOptions<RunOptions>().BindConfiguration(RunOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RunOptions>, RunOptionsValidator>());
        services.AddSingleton<ReplicaIdentity>();
        services.AddSingleton<RunMetrics>();
        services.AddSingleton<LocalRuns>();
        services.AddSingleton<RunScheduler>();
        services.AddSingleton<RunResultBudget>();
        services.AddSingleton<RunExecutor>();
        services.AddHostedService(sp => sp.GetRequiredService<RunExecutor>());
        services.AddHostedService<RunLeaseKeeper>();
        services.AddSingleton<RunAdoption>();
        services.AddSingleton<RunQueries>(sp => new RunQueries(
            sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<IModelTranscriptStore>(), sp.GetRequiredService<LocalRuns>(),
            sp.GetRequiredService<RunMetrics>(), sp.GetRequiredService<IOptions<RunOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<RunAdoption>()));
        services.AddSingleton<RunCommands>();
        services.AddSingleton<ClientModelRuns>();
        return builder;
    }
}
