using TotService.Runs;
using TotService.Storage;
using TotService.Trees;

namespace TotService.Tools;

public static class ToolServiceCollectionExtensions
{
    /// <summary>
    /// The Tree-of-Thoughts tools' services (runs, trees, stores, executor) and the argument check that turns wrong
    /// types and missing arguments into readable tool errors (and a tool's refusal into one Warning line). The tool classes themselves are found by
    /// the SDK's <c>WithToolsFromAssembly</c>.
    /// </summary>
    public static IHostApplicationBuilder AddTotTools(this IHostApplicationBuilder builder)
    {
        builder.AddTotRuns();
        builder.AddTotTrees();
        builder.AddTotStores();
        builder.Services.AddSingleton<RunRequestBuilder>();
        builder.Services.AddSingleton<RunResultReader>();
        builder.Services.AddSingleton<ToolArgumentValidator>();
        builder.Services.AddMcpServer().WithRequestFilters(filters =>
        {
            filters.AddCallToolFilter(ToolArgumentValidator.Filter);
            filters.AddCallToolFilter(StorageErrorFilter.Filter);
            filters.AddCallToolFilter(ToolRefusalFilter.Filter);
        });
        return builder;
    }
}
