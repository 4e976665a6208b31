using ModelContextProtocol.Server;

namespace TotService.Tasks;

public static class TasksServiceCollectionExtensions
{
    /// <summary>Runs as MCP tasks (<see cref="RunTasks"/>) on the MCP server that <c>AddTotMcpServer</c> adds.</summary>
    public static IHostApplicationBuilder AddRunTasks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RunTasks>();
        builder.Services.AddOptions<McpServerOptions>().Configure<RunTasks>(static (server, tasks) => tasks.Register(server));
        return builder;
    }
}
