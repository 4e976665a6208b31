using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TotService.Engine.Diagnostics;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Providers;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;

namespace TotService.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the search engine, its metrics, the provider factory with the shared Game of 24 solver, and the optional
    /// <see cref="LlmProviderOptions"/> (section "Llm", validated at start-up).
    /// </summary>
    public static IServiceCollection AddTotEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<EngineMetrics>();
        services.TryAddSingleton<ThoughtSearchEngine>();
        services.TryAddSingleton<Game24Solver>();
        services.TryAddSingleton<ThoughtProviderFactory>();
        services.AddOptions<LlmProviderOptions>().BindConfiguration(LlmProviderOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmProviderOptions>, LlmProviderOptionsValidator>());
        return services;
    }
}
