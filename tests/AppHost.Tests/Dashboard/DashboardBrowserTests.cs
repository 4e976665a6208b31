using AppHost.Lifecycle;
using AppHost.Tests.Infrastructure;
using AppModelTesting;
using Aspire.Hosting.Testing;
using PuppeteerSharp;

namespace AppHost.Tests.Dashboard;

/// <summary>The app model with the real Aspire dashboard on, on free loopback ports, as <c>dotnet run</c> has it.</summary>
public sealed class DashboardAppModel : TestAppModel
{
    protected override bool EnableDashboard => true;

    /// <summary>The Grafana check rotates a key, so the rotations counter has a series.</summary>
    protected override bool EnableAdminClient => true;

    protected override IEnumerable<string> Settings =>
    [
        $"ASPNETCORE_URLS=http://localhost:{FreePort.Next()}",
        $"ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://localhost:{FreePort.Next()}",
        "ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
        "AppHost:Prometheus=true",
    ];

    /// <summary>Prometheus is a resource too when Debian's package is installed (./test.sh installs it).</summary>
    public override async ValueTask InitializeAsync()
    {
        if (!File.Exists("/usr/bin/prometheus"))
        {
            throw new InvalidOperationException("/usr/bin/prometheus is missing: apt-get install prometheus (./test.sh does).");
        }
        await base.InitializeAsync();
        await WaitHealthyAsync("prometheus", StartupTimeout);
    }

    /// <summary>The dashboard's address, as the AppHost reports it (the testing builder picks its port).</summary>
    public async Task<Uri> DashboardUrlAsync() =>
        new((await App.GetDashboardUrlAsync(TestContext.Current.CancellationToken) ?? throw new InvalidOperationException("No dashboard URL."))
            .GetLeftPart(UriPartial.Authority));

    /// <summary>
    /// A client of the dashboard's telemetry API, with the API key the AppHost generated for this dashboard (read from
    /// the dashboard process's environment, the one place it is given).
    /// </summary>
    public async Task<HttpClient> CreateTelemetryApiClientAsync()
    {
        var url = await DashboardUrlAsync();
        foreach (var (_, environment) in ProcFs.Environments())
        {
            // The orchestrator proxies the dashboard: its public URL is the one the AppHost reports.
            if (environment.TryGetValue("DASHBOARD__API__PRIMARYAPIKEY", out var key)
                && environment.TryGetValue("DASHBOARD__FRONTEND__PUBLICURL", out var publicUrl)
                && Uri.TryCreate(publicUrl, UriKind.Absolute, out var listening) && listening.Port == url.Port)
            {
                var http = new HttpClient { BaseAddress = url };
                http.DefaultRequestHeaders.Add("x-api-key", key);
                return http;
            }
        }
        throw new InvalidOperationException($"No dashboard process listening on {url} with a telemetry API key.");
    }
}

/// <summary>One app model with its dashboard for every dashboard test class (each start costs seconds).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardAppModel>
{
    public const string Name = "dashboard";
}

/// <summary>Debian's Chromium, headless, on the real dashboard: what a developer sees after <c>dotnet run</c>.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardAppModel model)
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Resources_view_lists_every_resource_running_and_healthy()
    {
        Assert.True(HeadlessChromium.IsInstalled, $"{HeadlessChromium.ExecutablePath} is missing: apt-get install chromium (./test.sh does).");
        var login = await model.App.GetDashboardUrlAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(login);

        await using var browser = await HeadlessChromium.LaunchAsync(PageTimeout);
        await using var page = await browser.NewPageAsync();
        page.DefaultTimeout = (int)PageTimeout.TotalMilliseconds;
        await page.GoToAsync(login.ToString());
        var names = string.Join(",", model.ProcessResources.Select(r => $"'{r}'"));
        // Every resource's row says Running, and no row reports a health problem.
        var allRunning =
            $"() => {{ const t = document.body ? document.body.innerText : ''; " +
            $"return [{names}].every(n => t.includes(n)) && (t.match(/Running/g) || []).length >= {model.ProcessResources.Count()} " +
            "&& !/Unhealthy|Starting|Waiting|Not started/.test(t); }";
        try
        {
            await page.WaitForFunctionAsync(allRunning, new WaitForFunctionOptions { PollingInterval = 250 });
        }
        catch (WaitTaskTimeoutException)
        {
            var shows = await page.EvaluateExpressionAsync<string>("document.body ? document.body.innerText.slice(0, 2000) : ''");
            Assert.Fail($"Waited {PageTimeout} for every resource to be Running and healthy. Page shows:\n{shows}");
        }

        Directory.CreateDirectory(RepositoryRoot.TestResults);
        var screenshot = Path.Combine(RepositoryRoot.TestResults, "dashboard-resources.png");
        await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is (almost) empty");
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {screenshot}");
    }
}
