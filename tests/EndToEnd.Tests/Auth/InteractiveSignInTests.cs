using Aspire.Hosting.ApplicationModel;
using EndToEnd.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace EndToEnd.Tests.Auth;

/// <summary>
/// A person's MCP client on the real app model: the official C# SDK client, told only TotService's URL, finds
/// KeyService from the 401, registers itself (RFC 7591), sends the person through sign-in and consent, and calls a
/// tool with the token it gets.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class InteractiveSignInTests(EndToEndAppModel model)
{
    [Fact]
    public async Task The_SDK_client_discovers_KeyService_registers_signs_the_person_in_and_calls_a_tool_as_that_person()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var browser = new BrowserSignIn(await DevelopmentPasswordAsync(cancellationToken));
        var authorizations = new List<Uri>();
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = model.McpEndpoint(0),
            OAuth = new ClientOAuthOptions
            {
                RedirectUri = new Uri("http://localhost:1/callback"),
                DynamicClientRegistration = new DynamicClientRegistrationOptions { ClientName = "End-to-end SDK client" },
                AuthorizationCallbackHandler = async (context, ct) =>
                {
                    authorizations.Add(context.AuthorizationUri);
                    var response = await browser.AuthorizeAsync(context.AuthorizationUri, ct);
                    return new AuthorizationResult { Code = response["code"], State = response["state"], Iss = response["iss"] };
                },
            },
        });

        await using var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
        var result = await client.CallToolAsync("whoami", cancellationToken: cancellationToken);

        Assert.NotEqual(true, result.IsError);
        var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
        Assert.Contains("developer", text, StringComparison.Ordinal);
        var authorization = Assert.Single(authorizations);
        Assert.StartsWith(model.Issuer + "/connect/authorize?", authorization.AbsoluteUri, StringComparison.Ordinal);
        Assert.Contains("code_challenge_method=S256", authorization.Query, StringComparison.Ordinal);
    }

    /// <summary>The password the AppHost generated for the development user (its secret parameter).</summary>
    private async Task<string> DevelopmentPasswordAsync(CancellationToken cancellationToken)
    {
        var parameters = model.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>();
        return await parameters.Single(p => p.Name == "dev-user-password").GetValueAsync(cancellationToken)
            ?? throw new InvalidOperationException("The dev-user-password parameter has no value.");
    }
}
