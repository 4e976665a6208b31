using System.Text;
using AppModelTesting;

namespace AppHost.Tests.Integration;

/// <summary>The app model with its OTLP endpoint pointed at a receiver, as the AppHost points it at the dashboard.</summary>
public sealed class TelemetryAppModel : TestAppModel
{
    private OtlpReceiver? _receiver;

    public OtlpReceiver Receiver => _receiver ?? throw new InvalidOperationException("Not started.");

    protected override IEnumerable<string> Settings => [$"ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL={Receiver.Url.ToString().TrimEnd('/')}"];

    public override async ValueTask InitializeAsync()
    {
        _receiver = await OtlpReceiver.StartAsync();
        await base.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }
}

public sealed class TelemetryTests(TelemetryAppModel model) : IClassFixture<TelemetryAppModel>
{
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_service_instance_exports_logs_metrics_and_traces_over_otlp_with_its_own_name()
    {
        // Traffic for traces: a token (KeyService reads its ring from Redis), an MCP session (TotService).
        var token = await model.GetTokenAsync(cancellationToken: TestContext.Current.CancellationToken);
        await using (var client = await model.ConnectAsync(token, cancellationToken: TestContext.Current.CancellationToken))
        {
            await client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        }
        using (var http = model.CreateHttpClient("keyservice-1"))
        {
            await http.GetStringAsync("/.well-known/jwks.json", TestContext.Current.CancellationToken);
        }

        var services = model.KeyServices.Concat(model.TotServices).ToList();
        var missing = await WaitForAsync(() => services
            .SelectMany(service => new[] { "logs", "metrics", "traces" }.Select(signal => (service, signal)))
            .Where(pair => !model.Receiver.From(pair.signal, pair.service).Any())
            .Select(pair => $"{pair.service}/{pair.signal}")
            .ToList());
        Assert.True(missing.Count == 0, $"no OTLP export of: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Redis_calls_appear_in_the_traces()
    {
        var redis = Encoding.UTF8.GetBytes("redis");
        var found = await WaitForAsync(() => model.KeyServices.Concat(model.TotServices)
            .Where(service => model.Receiver.From("traces", service).Any(body => body.AsSpan().IndexOf(redis) >= 0))
            .ToList(), until: list => list.Count > 0);
        Assert.NotEmpty(found);
    }

    private static async Task<List<string>> WaitForAsync(Func<List<string>> probe, Func<List<string>, bool>? until = null)
    {
        until ??= list => list.Count == 0;
        var deadline = DateTime.UtcNow + ExportWait;
        var result = probe();
        while (!until(result) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, TestContext.Current.CancellationToken);
            result = probe();
        }
        return result;
    }
}
