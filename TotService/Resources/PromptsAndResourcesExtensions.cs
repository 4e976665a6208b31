using TotService.Mcp;
using TotService.Prompts;

namespace TotService.Resources;

public static class PromptsAndResourcesExtensions
{
    /// <summary>
    /// Every <c>[McpServerPromptType]</c> and <c>[McpServerResourceType]</c> of this assembly (each declares its scope,
    /// enforced by the SDK's authorization filters and, ahead of them, by the request guard), their errors in this
    /// server's words, and the cache hints of their lists.
    /// </summary>
    public static IHostApplicationBuilder AddTotPromptsAndResources(this IHostApplicationBuilder builder)
    {
        builder.Services.AddMcpServer()
            .WithPromptsFromAssembly(typeof(ThinkPrompt).Assembly)
            .WithResourcesFromAssembly(typeof(RunResources).Assembly)
            .WithRequestFilters(filters => filters
                .AddGetPromptFilter(PromptErrorFilter.Filter)
                .AddReadResourceFilter(ResourceErrorFilter.Filter)
                .AddListPromptsFilter(CacheHints.PrivateList)
                .AddListResourceTemplatesFilter(CacheHints.PrivateList)
                .AddListResourcesFilter(CacheHints.PrivateList));
        return builder;
    }
}
