using System.Net;
using System.Text.Json;
using Testing;

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

        await Eventually.UntilAsync(
            async cancellationToken =>
            {
                using var resources = JsonDocument.Parse(await api.GetStringAsync("/api/telemetry/resources", cancellationToken));
                return services.SelectMany(service => new[] { "hasLogs", "hasTraces", "hasMetrics" }.Select(signal => (service, signal)))
                    .Where(pair => !resources.RootElement.EnumerateArray().Any(r =>
                        r.GetProperty("name").GetString() == pair.service && r.GetProperty(pair.signal).GetBoolean()))
                    .Select(pair => $"{pair.service} {pair.signal}")
                    .ToList();
            },
            missing => missing.Count == 0, ExportWait, "the dashboard to hold logs, traces and metrics of every service instance",
            missing => $"the dashboard has no: {string.Join(", ", missing)}",
            TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Redis_calls_appear_in_the_dashboards_traces()
    {
        await MakeTrafficAsync();
        using var api = await model.CreateTelemetryApiClientAsync();
        await Eventually.UntilAsync(
            async cancellationToken => (await api.GetStringAsync("/api/telemetry/spans", cancellationToken))
                .Contains("OpenTelemetry.Instrumentation.StackExchangeRedis", StringComparison.Ordinal),
            ExportWait, "a span from the StackExchange.Redis instrumentation to reach the dashboard",
            TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
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
