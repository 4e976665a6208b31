using System.ComponentModel;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Authorization;

/// <summary>A tool that forgets [RequiresScope] must stop the server, not be open to every caller.</summary>
public sealed class UndeclaredToolStartupTests
{
    [Fact]
    public async Task Server_with_a_tool_without_scope_does_not_start()
    {
        await using var host = TotServiceTestHost.Create(new Dictionary<string, string?>
        {
            ["TotService:Authority"] = "http://keyservice",
            ["TotService:Issuer"] = TestSettings.Issuer,
            ["TotService:Audience"] = TestSettings.Audience,
        }, services => services.AddMcpServer().WithTools<ForgetfulTools>());

        var error = Assert.Throws<InvalidOperationException>(host.StartServer);

        Assert.Contains("'forgot_scope'", error.Message, StringComparison.Ordinal);
    }

    [McpServerToolType]
    public sealed class ForgetfulTools
    {
        [McpServerTool(Name = "forgot_scope", Title = "Forgot", ReadOnly = true), Description("No scope declared.")]
        public static string ForgotScope() => "open to all?";
    }
}
