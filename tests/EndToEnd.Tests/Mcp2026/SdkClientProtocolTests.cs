using EndToEnd.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace EndToEnd.Tests.Mcp2026;

/// <summary>
/// The official C# SDK client against the real app model on both MCP generations: 2026-07-28 (stateless, no
/// initialize, every request self-describing) and 2025-11-25 (initialize and a session), with a KeyService token.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SdkClientProtocolTests(EndToEndAppModel model)
{
    [Theory]
    [InlineData("2026-07-28")]
    [InlineData("2025-11-25")]
    public async Task The_sdk_client_discovers_lists_and_calls_tools_on_every_replica(string protocolVersion)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await model.GetTokenAsync(cancellationToken: cancellationToken);
        for (var instance = 0; instance < model.TotServiceInstances; instance++)
        {
            await using var client = await model.ConnectAsync(token, instance, new McpClientOptions { ProtocolVersion = protocolVersion }, cancellationToken);

            Assert.Equal(protocolVersion, client.NegotiatedProtocolVersion);
            Assert.Equal("TotService", client.ServerInfo?.Name);
            Assert.NotNull(client.ServerCapabilities?.Tools);

            var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
            Assert.Contains(tools, t => t.Name == "server_info");
            Assert.Contains(tools, t => t.Name == "tot_start_run");

            var whoami = await client.CallToolAsync("whoami", cancellationToken: cancellationToken);
            Assert.NotEqual(true, whoami.IsError);
            Assert.Contains("dev", Text(whoami), StringComparison.Ordinal);

            var info = await client.CallToolAsync("server_info", cancellationToken: cancellationToken);
            Assert.NotEqual(true, info.IsError);
        }
    }

    [Fact]
    public async Task A_2026_client_is_served_without_a_session_so_its_calls_may_go_to_any_replica()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await model.GetTokenAsync(cancellationToken: cancellationToken);
        await using var first = await model.ConnectAsync(token, 0, new McpClientOptions { ProtocolVersion = "2026-07-28" }, cancellationToken);
        await using var second = await model.ConnectAsync(token, 1, new McpClientOptions { ProtocolVersion = "2026-07-28" }, cancellationToken);

        Assert.Null(first.SessionId);
        Assert.Null(second.SessionId);
        var started = await first.CallToolAsync("tot_start_run", Arguments(("task", "4 9 10 13"), ("domain", "game24"), ("provider", "domain")), cancellationToken: cancellationToken);
        Assert.True(started.IsError != true, Text(started));
        var runId = started.StructuredContent!.Value.GetProperty("runId").GetString()!;

        // The other replica answers for the same run: state lives in Redis, not in a session.
        var status = await second.CallToolAsync("tot_run_status", Arguments(("runId", runId)), cancellationToken: cancellationToken);
        Assert.True(status.IsError != true, Text(status));
        Assert.Equal(runId, status.StructuredContent!.Value.GetProperty("runId").GetString());
    }

    [Fact]
    public async Task An_unpinned_sdk_client_that_offers_no_model_speaks_2026_07_28()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await model.GetTokenAsync(cancellationToken: cancellationToken);
        await using var client = await model.ConnectAsync(token, 0, cancellationToken: cancellationToken);

        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        Assert.NotEmpty(await client.ListToolsAsync(cancellationToken: cancellationToken));
    }

    private static Dictionary<string, object?> Arguments(params (string Name, object? Value)[] arguments) =>
        arguments.ToDictionary(a => a.Name, a => a.Value);

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}
