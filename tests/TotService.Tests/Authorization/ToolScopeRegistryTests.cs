using System.ComponentModel;
using ModelContextProtocol.Server;
using TotService.Authorization;
using TotService.Identity;
using TotService.Tools;

namespace TotService.Tests.Authorization;

public sealed class ToolScopeRegistryTests
{
    [Fact]
    public void Method_scope_is_used_and_unknown_tools_have_none()
    {
        var registry = new ToolScopeRegistry([Tool<MethodTools>(nameof(MethodTools.Start)), Tool<ServerInfoTools>(nameof(ServerInfoTools.WhoAmI))]);

        Assert.Equal(TotScopes.Write, registry.RequiredScope("start"));
        Assert.Equal(TotScopes.Write, registry.RequiredScope("START"));
        Assert.Equal(TotScopes.Read, registry.RequiredScope("whoami"));
        Assert.Null(registry.RequiredScope("nope"));
    }

    [Fact]
    public void A_scope_on_both_the_class_and_the_method_is_refused_as_authorization_would_require_both()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ToolScopeRegistry([Tool<WriteTools>(nameof(WriteTools.Start))]));

        Assert.Contains("'start'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Class_scope_applies_when_the_method_declares_none()
    {
        var registry = new ToolScopeRegistry([Tool<WriteTools>(nameof(WriteTools.Cancel))]);

        Assert.Equal(TotScopes.Read, registry.RequiredScope("cancel"));
    }

    [Fact]
    public void Tool_without_a_scope_is_refused_by_name()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ToolScopeRegistry([Tool<UndeclaredTools>(nameof(UndeclaredTools.Open))]));

        Assert.Contains("'open'", error.Message, StringComparison.Ordinal);
        Assert.Contains("RequiresScope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_scope_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ToolScopeRegistry([Tool<UndeclaredTools>(nameof(UndeclaredTools.Admin))]));

        Assert.Contains("keys:admin", error.Message, StringComparison.Ordinal);
    }

    private static McpServerTool Tool<T>(string method)
    {
        var found = typeof(T).GetMethod(method)!;
        return found.IsStatic
            ? McpServerTool.Create(found, target: null)
            : McpServerTool.Create(found, _ => throw new InvalidOperationException("not invoked"));
    }

    [RequiresScope(TotScopes.Read)]
    private sealed class WriteTools
    {
        [McpServerTool(Name = "start"), Description("d"), RequiresScope(TotScopes.Write)]
        public string Start() => "";

        [McpServerTool(Name = "cancel"), Description("d")]
        public string Cancel() => "";
    }

    private sealed class MethodTools
    {
        [McpServerTool(Name = "start"), Description("d"), RequiresScope(TotScopes.Write)]
        public string Start() => "";
    }

    private sealed class UndeclaredTools
    {
        [McpServerTool(Name = "open"), Description("d")]
        public string Open() => "";

        [McpServerTool(Name = "admin"), Description("d"), RequiresScope("keys:admin")]
        public string Admin() => "";
    }
}
