using System.Reflection;
using ModelContextProtocol.Server;

namespace TotService.Mcp;

/// <summary>
/// Registers every <c>[McpServerTool]</c> method of the <c>[McpServerToolType]</c> classes in an assembly, like the
/// SDK's <c>WithToolsFromAssembly</c>, except that each tool class is one DI singleton shared by all calls. The SDK's
/// registration builds a new instance with <c>ActivatorUtilities</c> (constructor lookup by reflection) on every
/// tool call, which showed up as a fixed cost of every <c>tools/call</c> (docs/BENCHMARKS.md). Tool classes must
/// therefore be stateless, with singleton dependencies only, and not disposable; the DI container checks the
/// dependencies when the first tool is created (at start-up: the registry of tool scopes lists every tool).
/// </summary>
public static class SingletonToolRegistration
{
    public static IMcpServerBuilder WithSingletonToolsFromAssembly(this IMcpServerBuilder builder, Assembly assembly)
    {
        foreach (var type in assembly.GetTypes().Where(t => t.GetCustomAttribute<McpServerToolTypeAttribute>() is not null))
        {
            if (typeof(IDisposable).IsAssignableFrom(type) || typeof(IAsyncDisposable).IsAssignableFrom(type))
            {
                throw new InvalidOperationException($"Tool class {type.Name} is disposable; tool classes are shared singletons.");
            }
            builder.Services.AddSingleton(type);
            const BindingFlags Methods = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
            foreach (var method in type.GetMethods(Methods).Where(m => m.GetCustomAttribute<McpServerToolAttribute>() is not null))
            {
                builder.Services.AddSingleton(services => method.IsStatic
                    ? McpServerTool.Create(method, target: null, new McpServerToolCreateOptions { Services = services })
                    : McpServerTool.Create(method, services.GetRequiredService(type), new McpServerToolCreateOptions { Services = services }));
            }
        }
        return builder;
    }
}
