using System.Text.Json;
using EndToEnd.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace EndToEnd.Tests.Mcp2026;

/// <summary>
/// The official C# SDK client on 2026-07-28 against the real app model: the <c>tot_think</c> prompt, and a run
/// started on one replica read as a <c>tot://</c> resource from the other, with its cache hints.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PromptsAndResourcesTests(EndToEndAppModel model)
{
    [Fact]
    public async Task A_2026_client_gets_the_think_prompt_and_reads_a_run_started_on_one_replica_from_the_other()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var token = await model.GetTokenAsync(cancellationToken: cancellationToken);
        var options = new McpClientOptions { ProtocolVersion = "2026-07-28" };
        await using var first = await model.ConnectAsync(token, 0, options, cancellationToken);
        await using var second = await model.ConnectAsync(token, 1, options, cancellationToken);
        Assert.NotNull(first.ServerCapabilities?.Prompts);
        Assert.NotNull(second.ServerCapabilities?.Resources);

        var prompts = await first.ListPromptsAsync(new ListPromptsRequestParams(), cancellationToken);
        Assert.Contains(prompts.Prompts, p => p.Name == "tot_think");
        Assert.Equal(TimeSpan.FromMinutes(5), prompts.TimeToLive);
        Assert.Equal(CacheScope.Private, prompts.CacheScope);
        var prompt = await second.GetPromptAsync("tot_think", new Dictionary<string, object?> { ["problem"] = "Make 24 from 4 9 10 13." }, cancellationToken: cancellationToken);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(prompt.Messages).Content).Text;
        Assert.Contains("Make 24 from 4 9 10 13.", text, StringComparison.Ordinal);
        Assert.Contains("tot_tree_create", text, StringComparison.Ordinal);

        var templates = await second.ListResourceTemplatesAsync(cancellationToken: cancellationToken);
        Assert.Contains(templates, t => t.UriTemplate == "tot://runs/{runId}");
        var started = await first.CallToolAsync("tot_start_run",
            new Dictionary<string, object?> { ["task"] = "4 9 10 13", ["domain"] = "game24", ["provider"] = "domain" }, cancellationToken: cancellationToken);
        Assert.True(started.IsError != true, started.Text());
        var runId = started.StructuredContent!.Value.GetProperty("runId").GetString()!;

        var finished = await Eventually.UntilAsync(
            async cancel => await second.ReadResourceAsync($"tot://runs/{runId}", cancellationToken: cancel),
            read => State(read) is not ("queued" or "running"),
            TimeSpan.FromSeconds(60), $"run {runId} to finish, read as a resource on the other replica",
            read => Text(read), TimeSpan.FromMilliseconds(200), cancellationToken);
        Assert.Equal("completed", State(finished));
        Assert.True(JsonDocument.Parse(Text(finished)).RootElement.GetProperty("result").GetProperty("solved").GetBoolean());
        Assert.Equal(TimeSpan.FromHours(1), finished.TimeToLive);
        Assert.Equal(CacheScope.Private, finished.CacheScope);

        var diagram = await first.ReadResourceAsync($"tot://runs/{runId}/tree.mmd", cancellationToken: cancellationToken);
        Assert.Equal("text/vnd.mermaid", Assert.Single(diagram.Contents).MimeType);
        Assert.StartsWith("graph TD", Text(diagram), StringComparison.Ordinal);
    }

    private static string Text(ReadResourceResult read) => Assert.IsType<TextResourceContents>(Assert.Single(read.Contents)).Text;

    private static string? State(ReadResourceResult read) =>
        JsonDocument.Parse(Text(read)).RootElement.GetProperty("run").GetProperty("state").GetString();
}
