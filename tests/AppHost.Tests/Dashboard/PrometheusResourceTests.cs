using System.Text.Json;
using Testing;

namespace AppHost.Tests.Dashboard;

/// <summary>Prometheus as a local resource: every service instance scraped, with the Kubernetes output's alert rules.</summary>
[Collection(DashboardCollection.Name)]
public sealed class PrometheusResourceTests(DashboardAppModel model)
{
    [Fact]
    public async Task Prometheus_scrapes_every_service_instance_and_loads_the_alert_rules()
    {
        using var http = model.CreateHttpClient("prometheus");
        var services = model.KeyServices.Concat(model.TotServices).Select(r => model.Endpoint(r).Authority).ToHashSet(StringComparer.Ordinal);

        await Eventually.UntilAsync(
            async cancellationToken =>
            {
                using var targets = JsonDocument.Parse(await http.GetStringAsync("/api/v1/targets", cancellationToken));
                return targets.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
                    .Where(t => t.GetProperty("health").GetString() == "up")
                    .Select(t => t.GetProperty("labels").GetProperty("instance").GetString()!)
                    .ToHashSet(StringComparer.Ordinal);
            },
            services.IsSubsetOf, TimeSpan.FromSeconds(60), $"Prometheus to report every service instance up ({string.Join(", ", services)})",
            up => $"targets up: {string.Join(", ", up)}", TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);

        using var rules = JsonDocument.Parse(await http.GetStringAsync("/api/v1/rules", TestContext.Current.CancellationToken));
        var names = rules.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray()
            .SelectMany(g => g.GetProperty("rules").EnumerateArray()).Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Contains("SigningKeyTooOld", names);
        Assert.Contains("ServiceDown", names);
    }
}
