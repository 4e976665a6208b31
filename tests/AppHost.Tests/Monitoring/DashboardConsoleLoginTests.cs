using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AppHost.Tests.Infrastructure;

namespace AppHost.Tests.Monitoring;

/// <summary>The AppHost as users run it: the dashboard is on by default and its login link is on the console.</summary>
public sealed partial class DashboardConsoleLoginTests
{
    [GeneratedRegex(@"Dashboard: (http://localhost:(\d+)/login\?t=([0-9a-f]{32}))")]
    private static partial Regex LoginLine();

    [Fact]
    public async Task The_console_login_link_opens_a_loopback_only_dashboard()
    {
        await using var apphost = await AppHostProcess.StartAsync();
        await apphost.WaitForOutputAsync("All resources are healthy.", TestTimeouts.Startup);

        var matches = LoginLine().Matches(apphost.Output);
        Assert.NotEmpty(matches);
        var login = new Uri(matches[0].Groups[1].Value);
        var port = int.Parse(matches[0].Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
        var token = matches[0].Groups[3].Value;
        Assert.All(matches, m => Assert.Equal(login.ToString(), m.Groups[1].Value));
        // Only the "Dashboard:" lines carry the token: no resource output or status line repeats it.
        Assert.Equal(matches.Count, Regex.Count(apphost.Output, token));

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { Timeout = TestTimeouts.Short };
        using (var page = await http.GetAsync(login, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("/", page.RequestMessage!.RequestUri!.AbsolutePath);
            Assert.Contains("AppHost dashboard", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }
        var resources = JsonNode.Parse(await http.GetStringAsync(new Uri(login, "/api/resources"), TestContext.Current.CancellationToken))!;
        var names = resources["resources"]!.AsArray().Select(r => (string?)r!["resource"]).ToHashSet();
        Assert.Superset(new HashSet<string?> { "redis", "keyservice", "totservice" }, names);

        // Bound to loopback only: the machine's other addresses refuse the port.
        foreach (var address in NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => !IPAddress.IsLoopback(a) && a.AddressFamily == AddressFamily.InterNetwork))
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(address, port, TestContext.Current.CancellationToken).AsTask());
        }
    }
}
