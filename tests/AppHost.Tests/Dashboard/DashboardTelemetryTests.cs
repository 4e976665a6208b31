using System.Net;
using System.Text.Json;

namespace AppHost.Tests.Dashboard;

/// <summary>What reaches the real dashboard over OTLP, read back through the dashboard's own telemetry API.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTelemetryTests(DashboardAppModel model)
{
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Every_service_instance_sends_logs_traces_and_metrics_to_the_dashboard()
    {
        await MakeTrafficAsync();
        using var api = await model.CreateTelemetryApiClientAsync();
        var services = model.KeyServices.Concat(model.TotServices).ToList();

        List<string> missing = [];
        for (var deadline = DateTime.UtcNow + ExportWait; DateTime.UtcNow < deadline; await Task.Delay(1000, TestContext.Current.CancellationToken))
        {
            using var resources = JsonDocument.Parse(await api.GetStringAsync("/api/telemetry/resources", TestContext.Current.CancellationToken));
            missing = services.SelectMany(service => new[] { "hasLogs", "hasTraces", "hasMetrics" }.Select(signal => (service, signal)))
                .Where(pair => !resources.RootElement.EnumerateArray().Any(r =>
                    r.GetProperty("name").GetString() == pair.service && r.GetProperty(pair.signal).GetBoolean()))
                .Select(pair => $"{pair.service} {pair.signal}")
                .ToList();
            if (missing.Count == 0)
            {
                break;
            }
        }
        Assert.True(missing.Count == 0, $"the dashboard has no: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Redis_calls_appear_in_the_dashboards_traces()
    {
        await MakeTrafficAsync();
        using var api = await model.CreateTelemetryApiClientAsync();
        var found = false;
        for (var deadline = DateTime.UtcNow + ExportWait; !found && DateTime.UtcNow < deadline; await Task.Delay(1000, TestContext.Current.CancellationToken))
        {
            var spans = await api.GetStringAsync("/api/telemetry/spans", TestContext.Current.CancellationToken);
            found = spans.Contains("OpenTelemetry.Instrumentation.StackExchangeRedis", StringComparison.Ordinal);
        }
        Assert.True(found, "no span from the StackExchange.Redis instrumentation reached the dashboard");
    }

    [Fact]
    public async Task The_telemetry_api_refuses_a_request_without_its_key()
    {
        using var anonymous = new HttpClient { BaseAddress = await model.DashboardUrlAsync() };
        using var response = await anonymous.GetAsync("/api/telemetry/resources", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>A token (KeyService reads its ring in Redis), an MCP session (TotService), a key set from the other instance.</summary>
    private async Task MakeTrafficAsync()
    {
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using (var client = await model.ConnectAsync(token, cancellationToken: TestContext.Current.CancellationToken))
        {
            await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        }
        using var http = model.CreateHttpClient("keyservice-1");
        await http.GetStringAsync("/.well-known/jwks.json", TestContext.Current.CancellationToken);
    }
}
