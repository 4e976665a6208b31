using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using TotService.Tests.Tools;

namespace TotService.Tests.Resources;

/// <summary>
/// What a refused <c>resources/read</c> or <c>prompts/get</c> costs in the log: the SDK's two entries (the handler's
/// exception at Error, "request handler failed" at Warning; it logs every exception of these handlers, and the answer
/// must be a JSON-RPC error, where a tool answers a tool error), and nothing written by this server.
/// </summary>
public sealed class ResourceRefusalLoggingTests(ToolRefusalLoggingTests.LoggedHost host) : IClassFixture<ToolRefusalLoggingTests.LoggedHost>
{
    [Theory]
    [InlineData("tot://runs/run_00000000000000000000000000000000")]
    [InlineData("tot://nowhere/at/all")]
    [InlineData("prompt:tot_ponder")]
    public async Task A_refused_read_or_get_writes_only_the_sdks_two_entries(string target)
    {
        await using var client = await host.ConnectAsync("logged-" + Guid.NewGuid().ToString("N")[..6]);
        var before = host.Collector.Count;

        await Assert.ThrowsAsync<McpProtocolException>(async () =>
        {
            if (target.StartsWith("prompt:", StringComparison.Ordinal))
            {
                await client.GetPromptAsync(target["prompt:".Length..], cancellationToken: TestContext.Current.CancellationToken);
            }
            else
            {
                await client.ReadResourceAsync(target, cancellationToken: TestContext.Current.CancellationToken);
            }
        });

        var logged = host.Collector.GetSnapshot().Skip(before).Where(r => r.Level >= LogLevel.Warning).ToList();
        Assert.Equal([LogLevel.Error, LogLevel.Warning], logged.Select(r => r.Level));
        Assert.All(logged, r => Assert.StartsWith("ModelContextProtocol.", r.Category, StringComparison.Ordinal));
        Assert.Contains(target.Replace("prompt:", "", StringComparison.Ordinal), logged[0].Message, StringComparison.Ordinal);
    }
}
