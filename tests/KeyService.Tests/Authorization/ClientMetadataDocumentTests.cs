using System.Diagnostics;
using System.Net;
using KeyService.Authorization;
using KeyService.Tests.Infrastructure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;

namespace KeyService.Tests.Authorization;

public sealed class ClientMetadataDocumentTests
{
    [Fact]
    public async Task A_client_named_by_its_metadata_document_url_signs_in_and_the_document_is_fetched_once_while_fresh()
    {
        await using var documents = await MetadataDocumentHost.StartAsync();
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        var clientId = documents.Url("/good");
        var metadata = await (await host.Client.GetAsync(new Uri("/.well-known/oauth-authorization-server", UriKind.Relative), TestContext.Current.CancellationToken)).ReadJsonAsync();
        Assert.True(metadata.GetProperty("client_id_metadata_document_supported").GetBoolean());

        using var browser = new SignInBrowser(host.Address);
        var (verifier, challenge) = SignInBrowser.NewPkce();
        using var consent = await browser.SignInAsync(SignInBrowser.AuthorizeUrl(challenge, clientId, "http://127.0.0.1:40000/cimd/callback"));
        Assert.Contains("Metadata Client", await consent.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var code = SignInBrowser.Parameters(await browser.AllowAsync(consent))["code"];
        using var token = await host.Client.PostAsync(new Uri("/connect/token", UriKind.Relative), new FormUrlEncodedContent(
        [
            new("grant_type", "authorization_code"), new("code", code), new("code_verifier", verifier),
            new("redirect_uri", "http://127.0.0.1:40000/cimd/callback"), new("client_id", clientId),
        ]), TestContext.Current.CancellationToken);

        var body = await token.ReadJsonAsync();
        Assert.True(token.IsSuccessStatusCode, body.ToString());
        Assert.Equal(clientId, new JsonWebToken(body.GetProperty("access_token").GetString()).GetClaim("client_id").Value);
        Assert.Equal(1, documents.Requests);
    }

    [Theory]
    [InlineData("/redirect")]
    [InlineData("/huge")]
    [InlineData("/text")]
    [InlineData("/other")]
    [InlineData("/missing")]
    public async Task A_document_that_redirects_is_huge_is_not_JSON_names_another_client_or_is_missing_names_no_client(string path)
    {
        await using var documents = await MetadataDocumentHost.StartAsync();
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var browser = new SignInBrowser(host.Address);

        using var response = await browser.GetAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge, documents.Url(path), MetadataDocumentHost.RedirectUri));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal(1, documents.Requests);
    }

    [Fact]
    public async Task A_slow_document_is_given_up_on_within_the_fetch_timeout()
    {
        await using var documents = await MetadataDocumentHost.StartAsync();
        await using var host = await KeyServiceHost.StartHealthyAsync(SignInBrowser.Settings(), "Development");
        using var browser = new SignInBrowser(host.Address);

        var clock = Stopwatch.StartNew();
        using var response = await browser.GetAsync(SignInBrowser.AuthorizeUrl(SignInBrowser.NewPkce().Challenge, documents.Url("/slow"), MetadataDocumentHost.RedirectUri));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.InRange(clock.Elapsed, ClientMetadataDocuments.FetchTimeout - TimeSpan.FromSeconds(1), ClientMetadataDocuments.FetchTimeout + TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Outside_Development_a_document_on_a_loopback_address_is_never_fetched()
    {
        await using var documents = await MetadataDocumentHost.StartAsync();
        var environment = new HostingEnvironment { EnvironmentName = Environments.Production };
        var options = Microsoft.Extensions.Options.Options.Create(new AuthorizationOptions());
        using var resolver = new ClientMetadataDocuments(new OutboundAddressPolicy(environment), options, TimeProvider.System, NullLogger<ClientMetadataDocuments>.Instance);
        var https = "https://localhost:" + documents.Address.Port + "/good";

        Assert.Null(await resolver.FindAsync(https, TestContext.Current.CancellationToken));
        Assert.Null(await resolver.FindAsync(documents.Url("/good"), TestContext.Current.CancellationToken));
        Assert.Equal(0, documents.Requests);
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("8.8.8.8", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2606:4700:4700::1111", true)]
    public void Only_public_unicast_addresses_are_fetched_from(string address, bool expected) =>
        Assert.Equal(expected, OutboundAddressPolicy.IsPublic(IPAddress.Parse(address)));
}
