using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Authorization;

/// <summary>A tool that forgets [RequiresScope] must stop the server, not be open to every caller.</summary>
public sealed class UndeclaredToolStartupTests
{
    [Fact]
    public async Task Server_with_a_tool_without_scope_does_not_start()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = "TotService",
            EnvironmentName = "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TotService:Authority"] = "http://keyservice",
            ["TotService:Issuer"] = TestSettings.Issuer,
            ["TotService:Audience"] = TestSettings.Audience,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.AddTotService();
        builder.Services.AddMcpServer().WithTools<ForgetfulTools>();
        await using var app = builder.Build();
        app.MapTotService();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("'forgot_scope'", error.Message, StringComparison.Ordinal);
    }

    [McpServerToolType]
    public sealed class ForgetfulTools
    {
        [McpServerTool(Name = "forgot_scope", Title = "Forgot", ReadOnly = true), Description("No scope declared.")]
        public static string ForgotScope() => "open to all?";
    }
}
