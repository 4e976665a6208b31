using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>The request flow of DESIGN.md section 3 through real processes: token from KeyService, MCP call on TotService.</summary>
public sealed class McpSmokeTests(AppModel model) : IClassFixture<AppModel>
{
    [Fact]
    public async Task A_real_mcp_client_with_a_keyservice_token_lists_and_calls_tools()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await model.GetTokenAsync(cancellationToken: cancellationToken);
        await using var client = await model.ConnectAsync(token, cancellationToken: cancellationToken);

        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        Assert.Contains(tools, t => t.Name == "whoami");

        var result = await client.CallToolAsync("whoami", cancellationToken: cancellationToken);
        Assert.NotEqual(true, result.IsError);
        var text = string.Concat(result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text));
        Assert.Contains("dev", text, StringComparison.Ordinal);
    }
}
