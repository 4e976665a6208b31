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
        await Eventually.UntilAsync(
            async probe =>
            {
                using var health = await host.Http.GetAsync("/health", probe);
                return health.StatusCode;
            },
            status => status == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "/health to answer 200 once KeyService is back",
            interval: TimeSpan.FromMilliseconds(250), cancellationToken: cancel);

        var session = await RawMcpSession.OpenAsync(host.Http, Tokens.Valid(key));
        Assert.False(string.IsNullOrEmpty(session.SessionId));
    }
}
