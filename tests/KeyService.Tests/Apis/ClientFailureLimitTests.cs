using System.Net;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Apis;

public sealed class ClientFailureLimitTests
{
    [Fact]
    public async Task Repeated_wrong_secrets_lock_the_client_out_even_with_the_right_secret()
    {
        var settings = TestSettings.Create();
        settings["KeyService:ClientFailureLimit"] = "3";
        await using var host = await KeyServiceHost.StartAsync(settings);
        await host.WaitForHealthAsync();

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await host.Client.PostTokenAsync([new("grant_type", "client_credentials")], (TestSettings.DevClient, "wrong"));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var locked = await host.Client.PostTokenAsync([new("grant_type", "client_credentials")], (TestSettings.DevClient, TestSettings.DevSecret));
        using var otherClient = await host.Client.PostTokenAsync([new("grant_type", "client_credentials"), new("scope", "tot:read"), new("resource", TestSettings.McpAudience)],
            (TestSettings.AdminClient, TestSettings.AdminSecret));

        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal("invalid_client", (await locked.ReadJsonAsync()).GetProperty("error").GetString());
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, otherClient.StatusCode);
    }
}
