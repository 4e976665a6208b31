using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using TotService.Mcp;

namespace TotService.Tests.Mcp;

public sealed class SingletonToolRegistrationTests
{
    [Fact]
    public void Every_tool_class_of_the_service_is_one_shared_instance_and_every_tool_method_is_registered()
    {
        var services = new ServiceCollection();
        services.AddMcpServer().WithSingletonToolsFromAssembly(typeof(SingletonToolRegistration).Assembly);
        var expected = typeof(SingletonToolRegistration).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes(typeof(McpServerToolTypeAttribute), false).Length > 0)
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static))
            .Count(m => m.GetCustomAttributes(typeof(McpServerToolAttribute), false).Length > 0);

        var toolTypes = services.Where(d => d.ServiceType.GetCustomAttributes(typeof(McpServerToolTypeAttribute), false).Length > 0).ToList();

        Assert.Equal(expected, services.Count(d => d.ServiceType == typeof(McpServerTool)));
        Assert.True(expected >= 10, $"only {expected} tools found");
        Assert.NotEmpty(toolTypes);
        Assert.All(toolTypes, d => Assert.Equal(ServiceLifetime.Singleton, d.Lifetime));
    }

    [Fact]
    public void A_disposable_tool_class_is_refused_at_registration()
    {
        var services = new ServiceCollection();
        var error = Assert.Throws<InvalidOperationException>(() =>
            services.AddMcpServer().WithSingletonToolsFromAssembly(typeof(DisposableTools).Assembly));

        Assert.Contains(nameof(DisposableTools), error.Message, StringComparison.Ordinal);
    }
}

[McpServerToolType]
public sealed class DisposableTools : IDisposable
{
    [McpServerTool(Name = "disposable_probe"), Description("Never registered.")]
    public static string Probe() => "x";

    public void Dispose()
    {
    }
}
