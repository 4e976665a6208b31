using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using KeyService.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace KeyService.Tests.Authorization;

/// <summary>
/// A person's browser against KeyService's sign-in pages, without JavaScript: a cookie container, no automatic
/// redirects (each step is checked), and the forms' hidden fields read from the HTML as a browser would submit them.
/// </summary>
public sealed partial class SignInBrowser : IDisposable
{
    public const string Password = "correct-horse-battery-staple-0123";
    public const string RedirectUri = "http://127.0.0.1/callback";

    private readonly HttpClient _client;

    public SignInBrowser(Uri address, HttpMessageHandler? handler = null)
    {
        _client = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Settings for a Development KeyService whose configured client <c>dev</c> may also use the code flow.</summary>
    public static Dictionary<string, string?> Settings()
    {
        var settings = TestSettings.Create();
        settings["KeyService:Authorization:DevelopmentUser:Password"] = Password;
        settings["KeyService:Clients:0:RedirectUris:0"] = RedirectUri;
        settings["KeyService:Clients:0:ClientName"] = "Dev <Client>";
        return settings;
    }

    public static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    public static string AuthorizeUrl(string challenge, string clientId = TestSettings.DevClient, string redirectUri = RedirectUri, string state = "st-1",
        string? method = "S256", string? resource = TestSettings.McpAudience, string scope = "tot:read tot:write")
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code", ["client_id"] = clientId, ["redirect_uri"] = redirectUri, ["state"] = state, ["scope"] = scope,
            ["code_challenge"] = challenge, ["code_challenge_method"] = method, ["resource"] = resource,
        };
        return QueryHelpers.AddQueryString("/connect/authorize", query.Where(p => p.Value is not null));
    }

    public Task<HttpResponseMessage> GetAsync(string url) => _client.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute), TestContext.Current.CancellationToken);

    public async Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields) =>
        await _client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields), TestContext.Current.CancellationToken);

    /// <summary>The hidden fields of the page's form and its action, as a browser would submit them.</summary>
    public static async Task<(string Action, List<KeyValuePair<string, string>> Fields)> ReadFormAsync(HttpResponseMessage page)
    {
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var action = WebUtility.HtmlDecode(FormAction().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no form in: {html}"));
        var fields = HiddenInput().Matches(html).Select(h => new KeyValuePair<string, string>(WebUtility.HtmlDecode(h.Groups[1].Value), WebUtility.HtmlDecode(h.Groups[2].Value))).ToList();
        return (action, fields);
    }

    /// <summary>Signs in on the page <paramref name="authorizeUrl"/> shows and follows back to the authorization endpoint.</summary>
    public async Task<HttpResponseMessage> SignInAsync(string authorizeUrl, string password = Password)
    {
        using var page = await GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var (action, fields) = await ReadFormAsync(page);
        using var signedIn = await PostFormAsync(action, [.. fields, new("username", "developer"), new("password", password)]);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return await GetAsync(signedIn.Headers.Location!.OriginalString);
    }

    /// <summary>Signs in, allows, and returns the redirect to the client (with the code).</summary>
    public async Task<Uri> AuthorizeAsync(string authorizeUrl)
    {
        using var consent = await SignInAsync(authorizeUrl);
        return await AllowAsync(consent);
    }

    public async Task<Uri> AllowAsync(HttpResponseMessage consentPage, string decision = "allow")
    {
        Assert.Equal(HttpStatusCode.OK, consentPage.StatusCode);
        var (action, fields) = await ReadFormAsync(consentPage);
        using var allowed = await PostFormAsync(action, [.. fields, new("decision", decision)]);
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
        return allowed.Headers.Location!;
    }

    public static Dictionary<string, string> Parameters(Uri redirect) =>
        QueryHelpers.ParseQuery(redirect.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("""<form method="post" action="([^"]+)">""")]
    private static partial Regex FormAction();

    [GeneratedRegex("""<input type="hidden" name="([^"]+)" value="([^"]*)">""")]
    private static partial Regex HiddenInput();
}
