using System.Net;
using System.Text.Json.Nodes;
using AppHost.Dashboard;
using AppHost.Extensions;
using AppHost.Hosting;
using AppHost.Hosting.Testing;
using AppHost.Tests.Infrastructure;

namespace AppHost.Tests.Monitoring;

/// <summary>The dashboard answers nothing but its login page without the browser token's session cookie.</summary>
public sealed class DashboardAuthenticationTests : IAsyncLifetime
{
    private DistributedApplication? _app;
    private DashboardServer? _dashboard;

    private DashboardServer Dashboard => _dashboard!;

    public async ValueTask InitializeAsync()
    {
        var builder = DistributedApplicationTestingBuilder.Create("--AppHost:Dashboard:Enabled=true", "--AppHost:Prometheus:Path=/nonexistent/prometheus");
        builder.Builder.AddPrometheus();
        _dashboard = builder.Builder.AddDashboard();
        _app = await builder.BuildAsync();
        await _app.StartAsync(TestContext.Current.CancellationToken);
        Assert.NotNull(Dashboard.Url);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>Every route the dashboard maps (read from its endpoint table, so new routes are covered too) and a few it does not.</summary>
    private List<string> MappedRoutes()
    {
        var routes = Dashboard.Routes.Where(r => r != "/login").Distinct().ToList();
        Assert.Contains("/", routes);
        Assert.Contains("/api/resources", routes);
        Assert.Contains("/api/logs/stream", routes);
        Assert.Contains("/api/metrics", routes);
        Assert.Contains("/app.js", routes);
        return [.. routes, "/api/logs/stream?instance=redis"];
    }

    private IEnumerable<string> ProtectedRoutes() => [.. MappedRoutes(), "/index.html", "/no-such-page", "/api/no-such-api"];

    private HttpClient Client(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true })
        {
            BaseAddress = Dashboard.Url,
            Timeout = TestTimeouts.Short,
        };

    [Fact]
    public async Task Every_route_refuses_requests_without_the_session_cookie()
    {
        using var http = Client();
        foreach (var route in ProtectedRoutes())
        {
            using var response = await http.GetAsync(new Uri(route, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {route} without a cookie answered {(int)response.StatusCode}");

            // A browser asking for a page is sent to the login page instead; APIs stay 401.
            using var page = new HttpRequestMessage(HttpMethod.Get, route);
            page.Headers.Accept.ParseAdd("text/html");
            using var pageResponse = await http.SendAsync(page, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            if (route.StartsWith("/api", StringComparison.Ordinal))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, pageResponse.StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.Redirect, pageResponse.StatusCode);
                Assert.Equal("/login", pageResponse.Headers.Location?.OriginalString);
            }
        }

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/resources");
        forged.Headers.Add("Cookie", $"{DashboardAuthentication.CookieName}={Dashboard.BrowserToken}");
        using var forgedResponse = await http.SendAsync(forged, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, forgedResponse.StatusCode);
    }

    [Fact]
    public async Task A_wrong_token_gets_no_cookie_and_the_right_one_opens_every_route()
    {
        var cookies = new CookieContainer();
        using var http = Client(cookies);
        using (var wrong = await http.GetAsync(new Uri("/login?t=" + new string('0', 32), UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.False(wrong.Headers.Contains("Set-Cookie"));
            Assert.Contains("not valid", await wrong.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        using (var loginPage = await http.GetAsync(new Uri("/login", UriKind.Relative), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
            Assert.DoesNotContain(Dashboard.BrowserToken, await loginPage.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        using (var login = await http.GetAsync(Dashboard.LoginUrl, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.Equal("/", login.Headers.Location?.OriginalString);
            var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
            Assert.StartsWith(DashboardAuthentication.CookieName + "=", setCookie, StringComparison.Ordinal);
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Dashboard.BrowserToken, setCookie, StringComparison.Ordinal);
        }

        foreach (var route in MappedRoutes())
        {
            using var response = await http.GetAsync(new Uri(route, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {route} with the cookie answered {(int)response.StatusCode}");
        }

        // DNS rebinding: a foreign Host header is refused even with the cookie.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, "/api/resources");
        rebound.Headers.Host = "attacker.example";
        using var reboundResponse = await http.SendAsync(rebound, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, reboundResponse.StatusCode);
    }

    [Fact]
    public async Task Pasting_the_token_into_the_login_form_also_signs_in()
    {
        var cookies = new CookieContainer();
        using var http = Client(cookies);
        using var form = new FormUrlEncodedContent([new("token", Dashboard.BrowserToken)]);
        using var login = await http.PostAsync(new Uri("/login", UriKind.Relative), form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        using var resources = await http.GetAsync(new Uri("/api/resources", UriKind.Relative), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, resources.StatusCode);
    }

    [Fact]
    public async Task Without_prometheus_installed_the_dashboard_says_how_to_install_it()
    {
        Assert.DoesNotContain(_app!.Model.Resources, r => r.Name == "prometheus");
        var cookies = new CookieContainer();
        using var http = Client(cookies);
        (await http.GetAsync(Dashboard.LoginUrl, TestContext.Current.CancellationToken)).Dispose();
        var info = JsonNode.Parse(await http.GetStringAsync(new Uri("/api/info", UriKind.Relative), TestContext.Current.CancellationToken))!;
        Assert.Null((string?)info["prometheusUrl"]);
        Assert.Contains("apt-get install prometheus", (string?)info["prometheusUnavailable"], StringComparison.Ordinal);
        Assert.Contains("/nonexistent/prometheus", (string?)info["prometheusUnavailable"], StringComparison.Ordinal);
    }
}
