using EndToEnd.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace EndToEnd.Tests.Auth;

/// <summary>
/// A person's MCP client on the real app model: the official C# SDK client, told only TotService's URL, finds
/// KeyService from the 401, registers itself (RFC 7591) or names its Client ID Metadata Document, sends the person
/// through sign-in and consent, and calls a tool with the token it gets.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class InteractiveSignInTests(EndToEndAppModel model)
{
    private static readonly Uri RedirectUri = new("http://localhost:1/callback");

    [Fact]
    public async Task The_SDK_client_discovers_KeyService_registers_signs_the_person_in_and_calls_a_tool_as_that_person()
    {
        var (text, authorization) = await SignInAndCallWhoamiAsync(new ClientOAuthOptions
        {
            RedirectUri = RedirectUri,
            DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "End-to-end SDK client" },
        });

        Assert.Contains("developer", text, StringComparison.Ordinal);
        Assert.StartsWith(model.Issuer + "/connect/authorize?", authorization.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorization.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_identified_by_its_metadata_document_signs_the_person_in_without_registering()
    {
        using var certificate = model.CertificateAuthority.IssueForLoopback();
        await using var site = await ClientMetadataSite.StartAsync(certificate, RedirectUri, "Metadata document client");

        var (text, authorization) = await SignInAndCallWhoamiAsync(new ClientOAuthOptions
        {
            RedirectUri = RedirectUri,
            ClientMetadataDocumentUri = site.DocumentUri,
        });

        Assert.Contains("developer", text, StringComparison.Ordinal);
        // The document's URL is the client id: no registration, and KeyService read the document itself, over https.
        Assert.Equal(site.DocumentUri.AbsoluteUri, QueryHelpers.ParseQuery(authorization.Query)["client_id"].ToString());
        Assert.True(site.Fetches > 0, "KeyService never fetched the metadata document");
    }

    /// <summary>
    /// The official SDK client, told only TotService's URL and <paramref name="oauth"/>: it signs the person in through
    /// the browser and calls <c>whoami</c>. Returns the tool's text and the one authorization URL it opened.
    /// </summary>
    private async Task<(string Text, Uri Authorization)> SignInAndCallWhoamiAsync(ClientOAuthOptions oauth)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var browser = new BrowserSignIn(model.DevUserPassword);
        var authorizations = new List<Uri>();
        oauth.AuthorizationCallbackHandler = async (context, ct) =>
        {
            authorizations.Add(context.AuthorizationUri);
            var response = await browser.AuthorizeAsync(context.AuthorizationUri, ct);
            return new AuthorizationResult { Code = response["code"], State = response["state"], Iss = response["iss"] };
        };
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = model.McpEndpoint(0), OAuth = oauth });

        await using var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
        var result = await client.CallToolAsync("whoami", cancellationToken: cancellationToken);

        Assert.NotEqual(true, result.IsError);
        return (string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text)), Assert.Single(authorizations));
    }
}
