using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Mcp;

/// <summary>A real MCP client (SDK 2.3.1 over Streamable HTTP) against the real server and a fake KeyService.</summary>
public sealed class McpClientTests : SecuredHostTest
{
    private async Task<McpClient> ConnectAsync(string token)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = Host.McpEndpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }, NullLoggerFactory.Instance);
        return await McpClient.CreateAsync(transport, cancellationToken: TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Client_with_valid_token_lists_tools_and_calls_one()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var client = await ConnectAsync(Tokens.Valid(Key, subject: "alice"));

        Assert.NotNull(client.ServerInfo);
        Assert.Equal("TotService", client.ServerInfo.Name);
        Assert.Equal("Tree-of-Thoughts MCP", client.ServerInfo.Title);
        Assert.Equal("1.0.0", client.ServerInfo.Version);
        Assert.Null(client.SessionId); // a client that offers no model speaks 2026-07-28: stateless, no session

        var tools = await client.ListToolsAsync(cancellationToken: cancel);
        Assert.Contains(tools, tool => tool.Name == "server_info");
        Assert.Contains(tools, tool => tool.Name == "whoami");
        Assert.Contains(tools, tool => tool.Name == "append_note");

        var result = await client.CallToolAsync("whoami", cancellationToken: cancel);
        Assert.NotEqual(true, result.IsError);
        var caller = result.StructuredContent!.Value;
        Assert.Equal("alice", caller.GetProperty("subject").GetString());
        Assert.Equal(["tot:read", "tot:write"], caller.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!).ToArray());

        var info = await client.CallToolAsync("server_info", cancellationToken: cancel);
        Assert.Equal("1.0.0", info.StructuredContent!.Value.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Every_tool_has_title_description_schema_and_annotations()
    {
        await using var client = await ConnectAsync(Tokens.Valid(Key));
        var tools = await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotEmpty(tools);
        foreach (var tool in tools.Select(t => t.ProtocolTool))
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Title), tool.Name);
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), tool.Name);
            Assert.Equal(JsonValueKind.Object, tool.InputSchema.ValueKind);
            Assert.NotNull(tool.Annotations);
            Assert.NotNull(tool.Annotations.ReadOnlyHint);
            Assert.NotNull(tool.Annotations.DestructiveHint);
            Assert.NotNull(tool.Annotations.IdempotentHint);
            Assert.NotNull(tool.Annotations.OpenWorldHint);
        }
    }

    [Fact]
    public async Task Read_only_token_does_not_list_write_tools()
    {
        await using var client = await ConnectAsync(Tokens.Valid(Key, scope: "tot:read"));
        var names = (await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken)).Select(t => t.Name).ToList();

        Assert.Contains("whoami", names);
        Assert.DoesNotContain("append_note", names);
    }
}
