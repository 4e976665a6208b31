using AppHost.Tests.Infrastructure;
using AppHost.Tests.Monitoring.Infrastructure;

namespace AppHost.Tests.Monitoring;

/// <summary>Headless Chromium opens the dashboard of the running app model, as a user would after the console's login link.</summary>
[Collection(MonitoredAppCollection.Name)]
public sealed class DashboardBrowserTests(MonitoredAppFixture fixture)
{
    private static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    public static string ArtifactsDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults");

    private async Task<HeadlessChromium> OpenDashboardAsync(string view)
    {
        Assert.True(HeadlessChromium.IsInstalled, $"{HeadlessChromium.ExecutablePath} is missing: apt-get install chromium (.ci/run does).");
        var browser = await HeadlessChromium.LaunchAsync(TestTimeouts.Short);
        try
        {
            await browser.NavigateAsync(fixture.Dashboard.LoginUrl!, TestTimeouts.Short);
            // The login link sets the cookie and redirects to the dashboard, dropping the token from the address bar.
            await browser.WaitForAsync("location.pathname === '/' && !location.search && document.querySelector('#resources-table')", Step);
            await browser.NavigateAsync(new Uri(fixture.Dashboard.Url!, "/#" + view), TestTimeouts.Short);
            await browser.WaitForAsync($"document.body.dataset.view === '{view}'", Step);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private static async Task<string> ScreenshotAsync(HeadlessChromium browser, string name)
    {
        var path = Path.Combine(ArtifactsDirectory, name);
        await browser.ScreenshotAsync(path, TestTimeouts.Short);
        Assert.True(new FileInfo(path).Length > 10_000, $"{path} is too small to be a rendered page");
        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot: {path}");
        TestContext.Current.AddAttachment(name, path);
        return path;
    }

    [Fact]
    public async Task Resources_view_lists_every_replica_running_and_healthy_with_links()
    {
        await using var browser = await OpenDashboardAsync("resources");
        var instances = fixture.App.ResourceNotifications.Snapshots.Select(s => s.InstanceName).Order().ToList();
        Assert.Equal(["keyservice-0", "keyservice-1", "prometheus", "redis", "totservice"], instances);

        await browser.WaitForAsync(
            $"[...document.querySelectorAll('#resources-table tbody tr[data-instance]')].filter(r => r.dataset.state === 'Running' && r.dataset.health === 'Healthy').length === {instances.Count}",
            Step);
        var rows = await browser.EvaluateAsync("""
            [...document.querySelectorAll('#resources-table tbody tr[data-instance]')].map(r => ({
              instance: r.dataset.instance, pid: r.cells[4].innerText, links: [...r.querySelectorAll('a')].map(a => a.href) }))
            """, TestTimeouts.Short);
        foreach (var snapshot in fixture.App.ResourceNotifications.Snapshots)
        {
            var row = rows!.AsArray().Single(r => (string?)r!["instance"] == snapshot.InstanceName)!;
            Assert.Equal(snapshot.Pid.ToString(), (string?)row["pid"]);
            if (snapshot.Kind == "Project")
            {
                Assert.Contains(snapshot.Urls[0] + "/", row["links"]!.AsArray().Select(l => (string?)l));
            }
        }
        await browser.WaitForAsync("document.querySelector('#summary').textContent === '5/5 healthy'", Step);
        // Prometheus runs as a resource, and the header links to it.
        await browser.WaitForAsync($"document.querySelector('#prometheus-link').href === '{fixture.App.GetEndpoint("prometheus")}' && !document.querySelector('#prometheus-link').hidden", Step);
        await ScreenshotAsync(browser, "dashboard-resources.png");
    }

    [Fact]
    public async Task Console_view_streams_log_lines_from_each_service_and_filters_them()
    {
        await using var browser = await OpenDashboardAsync("console");
        foreach (var instance in new[] { "keyservice-0", "keyservice-1", "totservice" })
        {
            await browser.WaitForAsync(
                $"[...document.querySelectorAll('#log-lines .log-line')].some(l => l.dataset.instance === '{instance}' && l.innerText.includes('Now listening on'))", Step);
        }

        // A line written after the page opened arrives over the live stream (the orchestrator's own write path).
        var marker = "live-line-" + Guid.NewGuid().ToString("N");
        fixture.App.ResourceLogs.Write("totservice", $"info: {marker}", isError: false, TimeProvider.System);
        await browser.WaitForAsync($"document.querySelector('#log-lines').innerText.includes('{marker}')", Step);
        await ScreenshotAsync(browser, "dashboard-console.png");

        await browser.EvaluateAsync("document.querySelector('#log-filter').value = 'Now listening'; document.querySelector('#log-filter').dispatchEvent(new Event('input')); true", TestTimeouts.Short);
        await browser.WaitForAsync("""
            (() => { const lines = [...document.querySelectorAll('#log-lines .log-line')];
                     return lines.length >= 3 && lines.every(l => l.innerText.includes('Now listening')); })()
            """, Step);

        // One resource only: the stream is reopened for that instance.
        await browser.EvaluateAsync("const s = document.querySelector('#log-instance'); s.value = 'totservice'; s.dispatchEvent(new Event('change')); true", TestTimeouts.Short);
        await browser.WaitForAsync("""
            (() => { const lines = [...document.querySelectorAll('#log-lines .log-line')];
                     return lines.length >= 1 && lines.every(l => l.dataset.instance === 'totservice'); })()
            """, Step);
    }

    [Fact]
    public async Task Metrics_view_charts_request_rate_and_latency_of_each_service_after_traffic()
    {
        await using var browser = await OpenDashboardAsync("metrics");
        using var traffic = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var sending = Task.Run(async () =>
        {
            while (!traffic.IsCancellationRequested)
            {
                await fixture.SendTrafficAsync(5, traffic.Token);
                await Task.Delay(300, traffic.Token);
            }
        }, traffic.Token);

        try
        {
            foreach (var service in MonitoredAppFixture.Services)
            {
                // A non-zero request rate and a p95 line, both computed from scrapes of every replica.
                await browser.WaitForAsync($"""
                    (() => {"{"} const rate = document.querySelector('.chart[data-chart=requests] path.series[data-series="{service}"]');
                             const p95 = document.querySelector('.chart[data-chart=latency] path.series[data-series="{service}"]');
                             const legend = [...document.querySelectorAll('.chart[data-chart=requests] .legend span')].find(s => s.textContent.startsWith('{service} '));
                             return rate && p95 && legend && parseFloat(legend.querySelector('b').textContent) > 0; {"}"})()
                    """, Step, "document.querySelector('#charts')?.innerText");
            }
            await browser.WaitForAsync("[...document.querySelectorAll('#targets-table tr[data-target]')].filter(r => r.dataset.up === 'true').length === 3", Step);
            // A few more scrapes, so the screenshot shows lines rather than dots.
            await browser.WaitForAsync("parseInt(document.querySelector('.chart[data-chart=latency]').dataset.points) >= 8", Step);
        }
        finally
        {
            await traffic.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        }

        // Series the services do not expose yet say so instead of breaking the page.
        var charts = await browser.EvaluateAsync("[...document.querySelectorAll('.chart')].map(c => c.dataset.chart)", TestTimeouts.Short);
        Assert.Equal(["requests", "latency", "tokens", "keyage", "jwks", "mcptools", "totruns"], charts!.AsArray().Select(c => (string?)c));
        var empty = await browser.EvaluateAsync("[...document.querySelectorAll('.chart')].filter(c => c.dataset.points === '0').every(c => c.querySelector('.nodata'))", TestTimeouts.Short);
        Assert.True(empty!.GetValue<bool>());
        await ScreenshotAsync(browser, "dashboard.png");
    }
}
