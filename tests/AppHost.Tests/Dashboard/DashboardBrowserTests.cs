using System.Net;
using System.Net.Sockets;
using AppHost.Tests.Infrastructure;
using AppModelTesting;
using Aspire.Hosting.Testing;

namespace AppHost.Tests.Dashboard;

/// <summary>The app model with the real Aspire dashboard on, on free loopback ports, as <c>dotnet run</c> has it.</summary>
public sealed class DashboardAppModel : TestAppModel
{
    protected override bool EnableDashboard => true;

    protected override IEnumerable<string> Settings =>
    [
        $"ASPNETCORE_URLS=http://localhost:{FreePort()}",
        $"ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://localhost:{FreePort()}",
        "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
    ];

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Debian's Chromium, headless, on the real dashboard: what a developer sees after <c>dotnet run</c>.</summary>
public sealed class DashboardBrowserTests(DashboardAppModel model) : IClassFixture<DashboardAppModel>
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Resources_view_lists_every_resource_running_and_healthy()
    {
        Assert.True(HeadlessChromium.IsInstalled, $"{HeadlessChromium.ExecutablePath} is missing: apt-get install chromium (./test.sh does).");
        var login = await model.App.GetDashboardUrlAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(login);

        await using var browser = await HeadlessChromium.LaunchAsync(PageTimeout);
        await browser.NavigateAsync(login, PageTimeout);
        var names = string.Join(",", model.ProcessResources.Select(r => $"'{r}'"));
        // Every resource's row says Running, and no row reports a health problem.
        await browser.WaitForAsync(
            $"(() => {{ const t = document.body ? document.body.innerText : ''; " +
            $"return [{names}].every(n => t.includes(n)) && (t.match(/Running/g) || []).length >= {model.ProcessResources.Count()} " +
            "&& !/Unhealthy|Starting|Waiting|Not started/.test(t); })()",
            PageTimeout);

        Directory.CreateDirectory(RepositoryRoot.TestResults);
        var screenshot = Path.Combine(RepositoryRoot.TestResults, "dashboard-resources.png");
        await browser.ScreenshotAsync(screenshot, PageTimeout);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is (almost) empty");
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {screenshot}");
    }
}
