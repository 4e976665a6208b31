using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TotService.Trees;

public static class TreeServiceCollectionExtensions
{
    /// <summary>Client-driven trees: their commands and usage metrics. Options <c>TotService:Trees</c>, validated at start-up.</summary>
    public static IHostApplicationBuilder AddTotTrees(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TreeOptions>().BindConfiguration(TreeOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TreeOptions>, TreeOptionsValidator>());
        services.AddSingleton<TreeUsageMetrics>();
        services.AddSingleton<TreeCommands>();
        return builder;
    }
}
