using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using TotService.Tests.Tools;

namespace TotService.Tests.Resources;

/// <summary>
/// Runs as <c>tot://runs/...</c> resources through a real MCP client: JSON and Mermaid, cache hints by state, the
/// owner check of the run tools, and bad URIs answered in the server's words.
/// </summary>
public sealed class RunResourcesTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    private const string UnknownRun = "run_00000000000000000000000000000000";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_templates_are_listed_and_the_list_may_be_kept_five_minutes_by_this_caller_only()
    {
        await using var client = await host.ConnectAsync("templates-" + Guid.NewGuid().ToString("N")[..6]);

        var list = await client.ListResourceTemplatesAsync(new ListResourceTemplatesRequestParams(), Cancel);

        Assert.Equal(TimeSpan.FromMinutes(5), list.TimeToLive);
        Assert.Equal(CacheScope.Private, list.CacheScope);
        Assert.Equal(
            ["tot://runs/{runId}/tree.mmd:text/vnd.mermaid", "tot://runs/{runId}:application/json",
             "tot://trees/{treeId}/tree.mmd:text/vnd.mermaid", "tot://trees/{treeId}:application/json"],
            list.ResourceTemplates.Select(t => $"{t.UriTemplate}:{t.MimeType}").Order(StringComparer.Ordinal));
        Assert.All(list.ResourceTemplates, t => Assert.False(string.IsNullOrWhiteSpace(t.Description), t.UriTemplate));
    }

    [Fact]
    public async Task A_finished_run_reads_as_json_and_mermaid_that_may_be_kept_an_hour_by_this_caller_only()
    {
        await using var client = await host.ConnectAsync("finished-" + Guid.NewGuid().ToString("N")[..6]);
        var runId = (await client.CallOkAsync("tot_start_run", new { task = "4 9 10 13", domain = "game24" })).Str("runId");
        Assert.Equal("completed", (await client.WaitForRunAsync(runId)).Str("state"));

        var json = await client.ReadResourceAsync($"tot://runs/{runId}", cancellationToken: Cancel);
        var mermaid = await client.ReadResourceAsync($"tot://runs/{runId}/tree.mmd", cancellationToken: Cancel);

        var content = Assert.IsType<TextResourceContents>(Assert.Single(json.Contents));
        Assert.Equal($"tot://runs/{runId}", content.Uri);
        Assert.Equal("application/json", content.MimeType);
        var view = JsonDocument.Parse(content.Text).RootElement;
        Assert.Equal(runId, view.GetProperty("run").Str("runId"));
        Assert.Equal("completed", view.GetProperty("run").Str("state"));
        Assert.True(view.GetProperty("result").GetProperty("solved").GetBoolean());
        Assert.NotEmpty(view.GetProperty("result").GetProperty("bestPath").EnumerateArray());
        Assert.Equal(TimeSpan.FromHours(1), json.TimeToLive);
        Assert.Equal(CacheScope.Private, json.CacheScope);

        var diagram = Assert.IsType<TextResourceContents>(Assert.Single(mermaid.Contents));
        Assert.Equal("text/vnd.mermaid", diagram.MimeType);
        Assert.StartsWith("graph TD\n", diagram.Text, StringComparison.Ordinal);
        Assert.Contains("classDef solution", diagram.Text, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(1), mermaid.TimeToLive);
        Assert.Equal(CacheScope.Private, mermaid.CacheScope);
    }

    [Fact]
    public async Task A_live_run_reads_as_its_status_stale_at_once_and_has_no_tree_yet()
    {
        var subject = "live-" + Guid.NewGuid().ToString("N")[..6];
        // A session client whose model never answers keeps its sampling run running; a 2026 client of the same subject reads it.
        await using var sampler = await host.ConnectAsync(subject, samplingModel: new SilentModel(), protocolVersion: "2025-11-25");
        var runId = (await sampler.CallOkAsync("tot_start_run", new { task = "Plan a trip", provider = "sampling", timeBudgetSeconds = 600 })).Str("runId");
        await using var reader = await host.ConnectAsync(subject);

        var json = await reader.ReadResourceAsync($"tot://runs/{runId}", cancellationToken: Cancel);

        var view = JsonDocument.Parse(Assert.IsType<TextResourceContents>(Assert.Single(json.Contents)).Text).RootElement;
        Assert.Contains(view.GetProperty("run").Str("state"), new[] { "queued", "running" });
        Assert.False(view.TryGetProperty("result", out _), "a live run has no result yet");
        Assert.Equal(TimeSpan.Zero, json.TimeToLive);
        Assert.Equal(CacheScope.Private, json.CacheScope);

        var error = await ReadErrorAsync(reader, $"tot://runs/{runId}/tree.mmd");
        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains($"Run {runId} has not finished yet", error.Message, StringComparison.Ordinal);
        await sampler.CallOkAsync("tot_cancel_run", new { runId });
    }

    [Fact]
    public async Task Another_clients_run_reads_exactly_as_a_run_that_does_not_exist()
    {
        await using var owner = await host.ConnectAsync("owner-" + Guid.NewGuid().ToString("N")[..6]);
        await using var stranger = await host.ConnectAsync("stranger-" + Guid.NewGuid().ToString("N")[..6]);
        var runId = (await owner.CallOkAsync("tot_start_run", new { task = "4 9 10 13", domain = "game24" })).Str("runId");
        await owner.WaitForRunAsync(runId);

        foreach (var suffix in new[] { "", "/tree.mmd" })
        {
            var foreign = await ReadErrorAsync(stranger, $"tot://runs/{runId}{suffix}");
            var missing = await ReadErrorAsync(stranger, $"tot://runs/{UnknownRun}{suffix}");

            Assert.Equal(McpErrorCode.InvalidParams, foreign.ErrorCode);
            Assert.Equal(missing.ErrorCode, foreign.ErrorCode);
            Assert.Equal(missing.Message.Replace(UnknownRun, runId, StringComparison.Ordinal), foreign.Message);
            Assert.Contains("was not found", foreign.Message, StringComparison.Ordinal);
        }
        await owner.ReadResourceAsync($"tot://runs/{runId}", cancellationToken: Cancel);
    }

    public static TheoryData<string, string> BadUris => new()
    {
        { "tot://runs/", "Run '' was not found" },
        { "tot://runs/nope", "Run 'nope' was not found" },
        { "tot://runs/run_x/tree.svg", "Unknown resource 'tot://runs/run_x/tree.svg': this server serves tot://runs/{runId}, " },
        { "tot://elsewhere/1", "Unknown resource 'tot://elsewhere/1'" },
        { "file:///etc/passwd", "Unknown resource 'file:///etc/passwd'" },
        { "tot://runs/%ZZ%00", "was not found" },
    };

    [Theory]
    [MemberData(nameof(BadUris))]
    public async Task A_bad_uri_gets_invalid_params_in_the_servers_words(string uri, string expected)
    {
        await using var client = await host.ConnectAsync("bad-uri-" + Guid.NewGuid().ToString("N")[..6]);

        var error = await ReadErrorAsync(client, uri);

        Assert.Equal(McpErrorCode.InvalidParams, error.ErrorCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Unknown resource URI", error.Message, StringComparison.Ordinal); // the SDK's own wording
    }

    [Fact]
    public async Task A_session_client_gets_the_older_not_found_code_and_results_without_the_2026_cache_fields()
    {
        await using var client = await host.ConnectAsync("older-" + Guid.NewGuid().ToString("N")[..6], protocolVersion: "2025-11-25");
        var runId = (await client.CallOkAsync("tot_start_run", new { task = "4 9 10 13", domain = "game24" })).Str("runId");
        await client.WaitForRunAsync(runId);

        var read = await client.ReadResourceAsync($"tot://runs/{runId}", cancellationToken: Cancel);
        var templates = await client.ListResourceTemplatesAsync(new ListResourceTemplatesRequestParams(), Cancel);
        var error = await ReadErrorAsync(client, $"tot://runs/{UnknownRun}");

        Assert.Null(read.TimeToLive);
        Assert.Null(read.CacheScope);
        Assert.Null(templates.TimeToLive);
        Assert.Equal(McpErrorCode.ResourceNotFound, error.ErrorCode);
    }

    private static Task<McpProtocolException> ReadErrorAsync(McpClient client, string uri) =>
        Assert.ThrowsAsync<McpProtocolException>(async () => await client.ReadResourceAsync(uri, cancellationToken: Cancel));
}
