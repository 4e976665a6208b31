using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Apis;

/// <summary>
/// Runs alone: OpenTelemetry listens to every meter named <c>TotMcp.*</c> in the process, so hosts started by
/// parallel tests would add to these exact counts.
/// </summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
[Collection(nameof(MetricsTests))]
public sealed class MetricsTests
{
    [Fact]
    public async Task Prometheus_exposes_the_KeyService_instruments_under_their_documented_names()
    {
        await using var host = await KeyServiceHost.StartAsync(TestSettings.Create());
        await host.WaitForHealthAsync();
        await host.Client.GetTokenAsync(TestSettings.DevClient, TestSettings.DevSecret);
        using var failed = await host.Client.PostTokenAsync([new("grant_type", "client_credentials")], (TestSettings.DevClient, "wrong"));
        await host.Client.GetStringAsync(new Uri("/.well-known/jwks.json", UriKind.Relative), TestContext.Current.CancellationToken);

        var text = await host.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Matches("""keyservice_tokens_issued_total\{[^}]*client_id="dev"[^}]*result="success"[^}]*\} 1""", text);
        Assert.Matches("""keyservice_token_endpoint_failures_total\{[^}]*client_id="dev"[^}]*error="invalid_client"[^}]*\} 1""", text);
        Assert.Matches("""keyservice_jwks_requests_total\{[^}]*result="ok"[^}]*\} 1""", text);
        Assert.Matches("""keyservice_key_rotations_total\{[^}]*reason="initial"[^}]*\} 1""", text);
        Assert.Matches("""keyservice_active_key_age_seconds(\{[^}]*\})? \d""", text);
        Assert.Matches("""keyservice_keys\{[^}]*state="active"[^}]*\} 1""", text);
        Assert.Matches("""keyservice_keys\{[^}]*state="published"[^}]*\} 0""", text);
    }
}
