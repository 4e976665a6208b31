using System.Net;
using System.Net.Http.Headers;
using AppHost.Tests.Infrastructure;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Operations.Tests.Grafana;
using Testing;

namespace AppHost.Tests.Dashboard;

/// <summary>
/// Every metric deploy/grafana/tot-mcp.json reads is served by the running services' <c>/metrics</c> after the traffic
/// its panels show, so a renamed metric breaks the build; and the committed exported-metrics.txt says the same.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class GrafanaDashboardMetricsTests(DashboardAppModel model)
{
    private static readonly string Grafana = Path.Combine(RepositoryRoot.Path, "deploy", "grafana");
    private static readonly TimeSpan ScrapeWait = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_metric_the_dashboard_reads_is_scraped_from_the_services_after_traffic()
    {
        var used = DashboardMetrics.NamesUsed(Path.Combine(Grafana, "tot-mcp.json"));
        var cluster = DashboardMetrics.ReadList(Path.Combine(Grafana, "cluster-metrics.txt")).ToHashSet(StringComparer.Ordinal);
        var expected = used.Where(n => !cluster.Contains(n)).ToList();
        Assert.True(expected.Count >= 15, $"only {expected.Count} service metrics in the dashboard");

        await MakeTrafficAsync();

        var scraped = await Eventually.UntilAsync(
            ScrapeAsync, scrape => expected.All(scrape.Contains), ScrapeWait, "the services' /metrics to export every metric the dashboard reads",
            scrape => $"the dashboard reads, no service exports: {string.Join(", ", expected.Where(n => !scrape.Contains(n)))}",
            TimeSpan.FromSeconds(1), Cancel);

        // The committed list is what the offline checks trust: for the dashboard's names it must say what is served.
        var listed = DashboardMetrics.ReadList(Path.Combine(Grafana, "exported-metrics.txt")).Where(used.Contains).ToHashSet(StringComparer.Ordinal);
        var served = used.Where(scraped.Contains).ToHashSet(StringComparer.Ordinal);
        Assert.True(listed.SetEquals(served),
            $"served, not in exported-metrics.txt: {string.Join(", ", served.Except(listed))}; listed, not served: {string.Join(", ", listed.Except(served))}");
    }

    /// <summary>Each replica's <c>/metrics</c> (the union is what Prometheus sees across the replicas).</summary>
    private async Task<ScrapedMetrics> ScrapeAsync(CancellationToken cancellationToken)
    {
        var scraped = new ScrapedMetrics();
        foreach (var resource in model.KeyServices.Concat(model.TotServices))
        {
            using var http = model.CreateHttpClient(resource);
            using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative), cancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{resource} /metrics: {(int)response.StatusCode}");
            scraped.Add(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        Assert.True(scraped.SampleNameCount > 0, "no sample in any scrape");
        return scraped;
    }

    /// <summary>
    /// What the panels show, on every replica: tokens issued and refused, JWKS, a key rotation, MCP initialize,
    /// tools/list and tool calls, a call refused for scope, a bad token, a solved run, and a run refused at the
    /// client's limit while two others wait on the client's model.
    /// </summary>
    private async Task MakeTrafficAsync()
    {
        for (var i = 0; i < model.KeyServices.Count; i++)
        {
            await model.GetTokenAsync(keyserviceInstance: i, cancellationToken: Cancel);
            await Assert.ThrowsAsync<InvalidOperationException>(() =>
                model.RequestTokenAsync("dev", "not-the-secret", model.Audience, null, i, Cancel));
            using var keyservice = model.CreateHttpClient(model.KeyServices[i]);
            await keyservice.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), Cancel);
        }
        await RotateAsync();

        var token = await model.GetTokenAsync(cancellationToken: Cancel);
        var reader = await model.GetTokenAsync("tot:read", cancellationToken: Cancel);
        for (var i = 0; i < model.TotServices.Count; i++)
        {
            await RefusedRequestsAsync(i, reader);
            await RunsAsync(i, token);
        }
    }

    private async Task RotateAsync()
    {
        var admin = await model.GetAdminTokenAsync(Cancel);
        using var http = model.CreateHttpClient(model.KeyServices[0]);
        using var rotate = new HttpRequestMessage(HttpMethod.Post, "/admin/keys/rotate");
        rotate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var rotated = await http.SendAsync(rotate, Cancel);
        Assert.True(rotated.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Conflict, $"rotate: {(int)rotated.StatusCode}");
    }

    private async Task RefusedRequestsAsync(int instance, string reader)
    {
        await using (var client = await model.ConnectAsync(reader, instance, cancellationToken: Cancel))
        {
            var tools = await client.ListToolsAsync(cancellationToken: Cancel);
            Assert.DoesNotContain(tools, t => t.Name == "tot_tree_create");
            // HTTP 403 insufficient_scope, which the client reports as a failed request.
            await Assert.ThrowsAnyAsync<Exception>(() => client.CallToolAsync("tot_tree_create",
                new Dictionary<string, object?> { ["task"] = "x" }, cancellationToken: Cancel).AsTask());
        }
        using var http = model.CreateHttpClient(model.TotServices[instance]);
        using var badToken = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent("{}", null, "application/json") };
        badToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reader[..^4] + "AAAA");
        using var unauthorized = await http.SendAsync(badToken, Cancel);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
    }

    private async Task RunsAsync(int instance, string token)
    {
        await using var client = await model.ConnectAsync(token, instance, WaitingModel(), Cancel);
        var whoami = await client.CallToolAsync("whoami", cancellationToken: Cancel);
        Assert.True(whoami.IsError != true);
        var solved = await CallAsync(client, "tot_solve", new() { ["task"] = "4 9 10 13", ["domain"] = "game24" });
        Assert.True(solved.IsError != true, Text(solved));

        // Two runs wait on this client's model, so a third is over the per-client limit (2 by default).
        var waiting = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var started = await CallAsync(client, "tot_start_run",
                new() { ["task"] = "Think slowly", ["provider"] = "sampling", ["timeBudgetSeconds"] = 60 });
            Assert.True(started.IsError != true, Text(started));
            waiting.Add(started.StructuredContent!.Value.GetProperty("runId").GetString()!);
        }
        var refused = await CallAsync(client, "tot_start_run", new() { ["task"] = "4 9 10 13", ["domain"] = "game24" });
        Assert.True(refused.IsError == true, Text(refused));
        Assert.Contains("limit", Text(refused), StringComparison.Ordinal);

        foreach (var runId in waiting)
        {
            await CallAsync(client, "tot_cancel_run", new() { ["runId"] = runId });
        }
        foreach (var runId in waiting)
        {
            await Eventually.UntilAsync(
                async _ => (await CallAsync(client, "tot_run_status", new() { ["runId"] = runId })).StructuredContent!.Value.GetProperty("state").GetString(),
                state => state is "cancelled" or "completed" or "failed", TimeSpan.FromSeconds(15), $"cancelled run {runId} to end", state => $"state {state}", TimeSpan.FromMilliseconds(100), Cancel);
        }
    }

    private static async Task<CallToolResult> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments) =>
        await client.CallToolAsync(tool, arguments, cancellationToken: Cancel);

    private static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    /// <summary>A client model that answers only after a minute, so its runs stay live until they are cancelled.</summary>
    private static McpClientOptions WaitingModel()
    {
#pragma warning disable MCP9005 // sampling is deprecated by the 2026-07-28 revision; runs with provider "sampling" need it
        return new McpClientOptions
        {
            // A session, so the runs execute on the replica and wait on this client's model there.
            ProtocolVersion = "2025-11-25",
            Handlers = new McpClientHandlers
            {
                SamplingHandler = async (_, _, cancellationToken) =>
                {
                    await Task.Delay(TimeSpan.FromMinutes(1), cancellationToken);
                    return new CreateMessageResult { Content = [new TextContentBlock { Text = "no answer" }], Model = "waiting-model", Role = Role.Assistant };
                },
            },
        };
#pragma warning restore MCP9005
    }
}
