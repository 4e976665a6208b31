using System.Buffers.Text;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AppHost.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using PuppeteerSharp;
using PuppeteerSharp.Input;

namespace AppHost.Tests.Dashboard;

/// <summary>
/// KeyService's sign-in and consent pages in Debian's headless Chromium, on the app model <c>dotnet run</c> starts: a
/// person signs in and allows an MCP client with the keyboard alone, the pages run no script, and the browser goes back
/// to the client with the code. Screenshots land in TestResults.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SignInPagesBrowserTests(DashboardAppModel model)
{
    private const string RedirectUri = "http://127.0.0.1:9/browser-test/callback";
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_person_signs_in_and_allows_a_client_with_the_keyboard_and_the_browser_returns_to_it_with_a_code()
    {
        Assert.True(HeadlessChromium.IsInstalled, $"{HeadlessChromium.ExecutablePath} is missing: apt-get install chromium (./test.sh does).");
        var cancellationToken = TestContext.Current.CancellationToken;
        var clientId = await RegisterClientAsync(cancellationToken);
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)))));
        var authorize = QueryHelpers.AddQueryString(model.Issuer + "/connect/authorize", new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = RedirectUri, ["state"] = "browser-1",
            ["scope"] = "tot:read tot:write", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["resource"] = model.Audience,
        });

        await using var browser = await HeadlessChromium.LaunchAsync(PageTimeout);
        await using var page = await browser.NewPageAsync();
        page.DefaultTimeout = (int)PageTimeout.TotalMilliseconds;
        // The client's redirect URI has no server: the browser's request to it is answered here and remembered.
        var returned = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.SetRequestInterceptionAsync(true);
        page.Request += async (_, e) =>
        {
            if (e.Request.Url.StartsWith(RedirectUri, StringComparison.Ordinal))
            {
                returned.TrySetResult(e.Request.Url);
                await e.Request.RespondAsync(new ResponseData { Status = System.Net.HttpStatusCode.OK, Body = "back at the client", ContentType = "text/plain" });
            }
            else
            {
                await e.Request.ContinueAsync();
            }
        };

        var signIn = await page.GoToAsync(authorize);
        Assert.Contains("frame-ancestors 'none'", signIn.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("Sign in - KeyService", await page.GetTitleAsync());
        Assert.Equal(0, await page.EvaluateExpressionAsync<int>("document.scripts.length"));
        await ScreenshotAsync(page, "keyservice-sign-in.png");

        // The user name field takes the focus by itself; then Tab and Enter, as a person without a mouse.
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.id === 'username'");
        await page.Keyboard.TypeAsync("developer");
        await page.Keyboard.PressAsync(Key.Tab);
        await page.Keyboard.TypeAsync(model.DevUserPassword);
        await Task.WhenAll(page.WaitForNavigationAsync(), page.Keyboard.PressAsync(Key.Enter));
        Assert.Equal("Allow access - KeyService", await page.GetTitleAsync());
        var consent = await page.EvaluateExpressionAsync<string>("document.body.innerText");
        Assert.Contains("Browser test client", consent, StringComparison.Ordinal);
        Assert.Contains("tot:write", consent, StringComparison.Ordinal);
        Assert.DoesNotContain(model.DevUserPassword, await page.GetContentAsync(), StringComparison.Ordinal);
        await ScreenshotAsync(page, "keyservice-consent.png");

        await page.FocusAsync("button[value=allow]");
        await page.Keyboard.PressAsync(Key.Enter);
        var back = new Uri(await returned.Task.WaitAsync(PageTimeout, cancellationToken));

        var response = QueryHelpers.ParseQuery(back.Query);
        Assert.Equal("browser-1", response["state"].ToString());
        Assert.Equal(model.Issuer, response["iss"].ToString());
        Assert.Equal(43, response["code"].ToString().Length);
    }

    /// <summary>A public client registered the way MCP clients do it (RFC 7591).</summary>
    private async Task<string> RegisterClientAsync(CancellationToken cancellationToken)
    {
        using var http = model.CreateHttpClient(model.KeyServices[0]);
        using var registered = await http.PostAsJsonAsync("/connect/register",
            new { client_name = "Browser test client", redirect_uris = new[] { RedirectUri } }, cancellationToken);
        var body = await registered.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        Assert.True(registered.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("client_id").GetString()!;
    }

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(RepositoryRoot.TestResults);
        var path = Path.Combine(RepositoryRoot.TestResults, name);
        await page.ScreenshotAsync(path, new ScreenshotOptions { FullPage = true });
        Assert.True(new FileInfo(path).Length > 5_000, $"the screenshot {name} is (almost) empty");
        TestContext.Current.TestOutputHelper?.WriteLine($"screenshot: {path}");
    }
}
