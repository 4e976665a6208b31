using System.Net;
using KeyService.Tests.Infrastructure;

namespace KeyService.Tests.Authorization;

public sealed class PublicEndpointCorsTests
{
    [Theory]
    [InlineData("/connect/token")]
    [InlineData("/connect/register")]
    [InlineData("/connect/revoke")]
    public async Task A_browser_based_client_may_call_the_registration_token_and_revocation_endpoints_without_credentials(string path)
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, path);
        preflight.Headers.Add("Origin", "http://localhost:6274");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "content-type, authorization");

        using var response = await host.Client.SendAsync(preflight, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task The_sign_in_pages_are_not_open_to_other_origins()
    {
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/connect/authorize/consent");
        preflight.Headers.Add("Origin", "https://evil.example");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await host.Client.SendAsync(preflight, TestContext.Current.CancellationToken);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
