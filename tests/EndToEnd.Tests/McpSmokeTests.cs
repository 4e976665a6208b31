using EndToEnd.Tests.Infrastructure;

namespace EndToEnd.Tests;

/// <summary>The request flow through real processes: a token from KeyService, an MCP call on TotService.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class McpSmokeTests(EndToEndAppModel model)
{
    [Fact]
    public async Task A_real_mcp_client_with_a_keyservice_token_lists_and_calls_tools_on_every_totservice_instance()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        for (var keyservice = 0; keyservice < model.KeyServiceInstances; keyservice++)
        {
            var token = await model.GetTokenAsync(keyserviceInstance: keyservice, cancellationToken: cancellationToken);
            for (var totservice = 0; totservice < model.TotServiceInstances; totservice++)
            {
                await using var client = await model.ConnectAsync(token, totservice, cancellationToken: cancellationToken);

                var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
                Assert.Contains(tools, t => t.Name == "whoami");

                var result = await client.CallToolAsync("whoami", cancellationToken: cancellationToken);
                Assert.NotEqual(true, result.IsError);
                var text = string.Concat(result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(c => c.Text));
                Assert.Contains("dev", text, StringComparison.Ordinal);
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"app model healthy {model.StartupTime.TotalSeconds:0.0} s after the build started");
    }
}
