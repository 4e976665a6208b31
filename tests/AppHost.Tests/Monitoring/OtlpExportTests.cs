using System.Collections.Concurrent;
using System.Net;
using System.Text;
using AppHost.Hosting.Testing;
using AppHost.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AppHost.Tests.Monitoring;

/// <summary>
/// With an OTLP endpoint configured the AppHost hands it to every service, and each exports traces, metrics and logs
/// over http/protobuf tagged with its <c>service.name</c> — what the standalone Aspire dashboard would receive.
/// </summary>
public sealed class OtlpExportTests
{
    private static readonly string[] Signals = ["/v1/traces", "/v1/metrics", "/v1/logs"];

    [Fact]
    public async Task Every_service_exports_traces_metrics_and_logs_over_http_protobuf_with_its_service_name()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var receiver = await OtlpReceiver.StartAsync();

        // The HTTP variable, as the Aspire dashboard's own launch settings name it; it selects http/protobuf.
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>($"--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL={receiver.Url}");
        foreach (var service in MonitoredServices)
        {
            builder.WithEnvironment(service, "OTEL_METRIC_EXPORT_INTERVAL", "1000")
                .WithEnvironment(service, "OTEL_BSP_SCHEDULE_DELAY", "500")
                .WithEnvironment(service, "OTEL_BLRP_SCHEDULE_DELAY", "500");
        }
        await using var app = await builder.BuildAsync();
        await app.StartAsync(cancellationToken);
        using var startup = new CancellationTokenSource(TestTimeouts.Startup);
        foreach (var service in MonitoredServices)
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(service, startup.Token);
            var environment = ProcessInspector.Environment(app.ResourceNotifications.SnapshotsOf(service).Single().Pid!.Value);
            Assert.Equal(receiver.Url, environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal("http/protobuf", environment["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        var missing = Missing(receiver);
        while (missing.Count > 0 && DateTime.UtcNow < deadline)
        {
            // Ordinary requests make server spans (probes are filtered out of traces).
            foreach (var service in MonitoredServices)
            {
                using var http = app.CreateHttpClient(service);
                (await http.GetAsync(new Uri("/no-such-page", UriKind.Relative), cancellationToken)).Dispose();
            }
            await Task.Delay(500, cancellationToken);
            missing = Missing(receiver);
        }

        Assert.True(missing.Count == 0, $"No export seen for: {string.Join(", ", missing)}. Received: {receiver.Describe()}");
        Assert.All(receiver.Requests, r => Assert.Equal("application/x-protobuf", r.ContentType));
    }

    private static readonly string[] MonitoredServices = ["keyservice", "totservice"];

    private static List<string> Missing(OtlpReceiver receiver) =>
        [.. from service in MonitoredServices
            from signal in Signals
            where !receiver.Requests.Any(r => r.Path == signal && ContainsServiceName(r.Body, service))
            select $"{service} {signal}"];

    /// <summary>
    /// The resource attribute exactly as protobuf encodes it: KeyValue { key (1) = "service.name", value (2) = AnyValue {
    /// string_value (1) = name } }. Matching the whole encoding, not just both strings, rules out a service that merely
    /// mentions another's name.
    /// </summary>
    internal static bool ContainsServiceName(byte[] body, string serviceName)
    {
        var key = Encoding.UTF8.GetBytes("service.name");
        var value = Encoding.UTF8.GetBytes(serviceName);
        byte[] encoded = [0x0A, (byte)key.Length, .. key, 0x12, (byte)(value.Length + 2), 0x0A, (byte)value.Length, .. value];
        return body.AsSpan().IndexOf(encoded) >= 0;
    }

    [Theory]
    [InlineData("--otlp-endpoint", "http://localhost:4317", "grpc")]
    [InlineData("--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "http://localhost:4317", "grpc")]
    [InlineData("--ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "http://localhost:4318", "http/protobuf")]
    public async Task Each_way_of_naming_the_collector_sets_endpoint_and_protocol(string option, string endpoint, string protocol)
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Program>(option, endpoint);
        Assert.Equal(endpoint, builder.Builder.Options.OtlpEndpoint);
        Assert.Equal(protocol, builder.Builder.Options.OtlpProtocol);
    }

    /// <summary>An OTLP/HTTP collector on loopback that records what it is sent.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _web;

        private OtlpReceiver(WebApplication web, ConcurrentQueue<(string, string?, byte[])> requests)
        {
            _web = web;
            Requests = requests;
            Url = $"http://127.0.0.1:{new Uri(web.Urls.Single()).Port}";
        }

        public string Url { get; }

        public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Requests { get; }

        public static async Task<OtlpReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            var web = builder.Build();
            var requests = new ConcurrentQueue<(string, string?, byte[])>();
            web.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body, context.RequestAborted);
                requests.Enqueue(($"/v1/{signal}", context.Request.ContentType, body.ToArray()));
                // An empty protobuf message is a valid Export*ServiceResponse (full success).
                return Results.Bytes([], "application/x-protobuf");
            });
            await web.StartAsync();
            return new OtlpReceiver(web, requests);
        }

        public string Describe() => string.Join(", ", Requests.GroupBy(r => r.Path).Select(g => $"{g.Key}: {g.Count()}"));

        public async ValueTask DisposeAsync()
        {
            await _web.StopAsync();
            await _web.DisposeAsync();
        }
    }
}
