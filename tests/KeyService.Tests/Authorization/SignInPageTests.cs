using System.Net;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Authorization;

public sealed class SignInPageTests
{
    [Fact]
    public async Task The_consent_form_refuses_a_post_without_its_anti_forgery_token_or_with_another_sessions()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var victim = new SignInBrowser(host.Address);
        using var attacker = new SignInBrowser(host.Address);
        var url = SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge);
        using var victimConsent = await victim.SignInAsync(url);
        using var attackerConsent = await attacker.SignInAsync(url);
        var (action, victimFields) = await SignInBrowser.ReadFormAsync(victimConsent);
        var (_, attackerFields) = await SignInBrowser.ReadFormAsync(attackerConsent);

        // A cross-site form: the victim's cookies, but no token, or the attacker's own token.
        using var withoutToken = await victim.PostFormAsync(action, [.. victimFields.Where(f => f.Key == "request"), new("decision", "allow")]);
        using var foreignToken = await victim.PostFormAsync(action, [.. attackerFields, new("decision", "allow")]);

        foreach (var response in new[] { withoutToken, foreignToken })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
        }
        // The victim's own form still works.
        Assert.True(SignInBrowser.Parameters(await victim.AllowAsync(victimConsent)).ContainsKey("code"));
    }

    [Fact]
    public async Task Denying_consent_sends_access_denied_to_the_client()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var browser = new SignInBrowser(host.Address);
        using var consent = await browser.SignInAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge));

        var parameters = SignInBrowser.Parameters(await browser.AllowAsync(consent, decision: "deny"));

        Assert.Equal("access_denied", parameters["error"]);
        Assert.False(parameters.ContainsKey("code"));
    }

    [Fact]
    public async Task Guessing_passwords_throttles_the_guessing_address_and_never_the_person_at_another()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        var url = SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge);
        using var attacker = new SignInBrowser(host.Address, Handler(IPAddress.Parse("127.0.0.2")));
        using var page = await attacker.GetAsync(url);
        var (action, fields) = await SignInBrowser.ReadFormAsync(page);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var guess = await attacker.PostFormAsync(action, [.. fields, new("username", "developer"), new("password", $"guess-{i}")]);
            statuses.Add(guess.StatusCode);
        }
        using var rightPasswordFromAttacker = await attacker.PostFormAsync(action, [.. fields, new("username", "developer"), new("password", SignInBrowser.Password)]);
        using var person = new SignInBrowser(host.Address, Handler(IPAddress.Parse("127.0.0.3")));
        using var consent = await person.SignInAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.TooManyRequests, rightPasswordFromAttacker.StatusCode);
        Assert.NotNull(rightPasswordFromAttacker.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, consent.StatusCode);
        Assert.Contains("Allow", await consent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_development_user_nothing_of_the_code_flow_is_served_or_advertised()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(TestSettings.Create());
        using var authorize = await host.Client.GetAsync(new Uri(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge), UriKind.Relative), TestContext.Current.CancellationToken);
        using var metadata = await host.Client.GetAsync(new Uri("/.well-known/oauth-authorization-server", UriKind.Relative), TestContext.Current.CancellationToken);
        using var code = await host.Client.PostTokenAsync([new("grant_type", "authorization_code"), new("code", "x")], (TestSettings.DevClient, TestSettings.DevSecret));

        Assert.Equal(HttpStatusCode.NotFound, authorize.StatusCode);
        Assert.False((await metadata.ReadJsonAsync()).TryGetProperty("authorization_endpoint", out _));
        Assert.Equal("unsupported_grant_type", (await code.ReadJsonAsync()).GetProperty("error").GetString());
    }

    private static SocketsHttpHandler Handler(IPAddress local) => new()
    {
        AllowAutoRedirect = false,
        CookieContainer = new CookieContainer(),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
