using System.Diagnostics;
using System.Net;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Authentication;

public sealed class SigningKeysReadinessTests
{
    [Fact]
    public async Task Not_ready_until_keyservice_answers_then_ready_and_accepting_tokens()
    {
        var cancel = TestContext.Current.CancellationToken;
        using var key = new TestSigningKey();
        await using var authorizationServer = await FakeAuthorizationServer.StartAsync(TestSettings.Issuer, key);
        await authorizationServer.StopAsync(); // keeps its port: TotService starts while KeyService is away
        await using var host = await TotServiceTestHost.StartAsync(authorizationServer);

        using (var notReady = await host.Http.GetAsync("/health", cancel))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        }
        using (var liveness = await host.Http.GetAsync("/alive", cancel))
        {
            Assert.Equal(HttpStatusCode.OK, liveness.StatusCode); // not restarted for a dependency's outage
        }
        using (var refused = await RawMcpSession.SendAsync(host.Http, null, Tokens.Valid(key), """{"jsonrpc":"2.0","id":1,"method":"ping"}"""))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await authorizationServer.RestartAsync();
        var clock = Stopwatch.StartNew();
        var status = HttpStatusCode.ServiceUnavailable;
        while (status != HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(250, cancel);
            using var health = await host.Http.GetAsync("/health", cancel);
            status = health.StatusCode;
        }
        Assert.Equal(HttpStatusCode.OK, status);

        var session = await RawMcpSession.OpenAsync(host.Http, Tokens.Valid(key));
        Assert.False(string.IsNullOrEmpty(session.SessionId));
    }
}
