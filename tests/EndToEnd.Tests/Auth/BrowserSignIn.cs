using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace EndToEnd.Tests.Auth;

/// <summary>
/// A person in a browser without JavaScript on KeyService's sign-in and consent pages: a cookie container, each
/// redirect checked instead of followed, and every form submitted with the hidden fields (anti-forgery token
/// included) read from its HTML.
/// </summary>
public sealed partial class BrowserSignIn(string password) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// Opens the authorization URL, signs in as the development user unless already signed in, allows unless consent
    /// is remembered, and returns the query of the redirect back to the client.
    /// </summary>
    public async Task<Dictionary<string, string>> AuthorizeAsync(Uri authorizationUri, CancellationToken cancellationToken)
    {
        var page = await _http.GetAsync(authorizationUri, cancellationToken);
        try
        {
            if (page.StatusCode == HttpStatusCode.OK && (await page.Content.ReadAsStringAsync(cancellationToken)).Contains("name=\"password\"", StringComparison.Ordinal))
            {
                using var signedIn = await SubmitAsync(authorizationUri, page, [new("username", "developer"), new("password", password)], cancellationToken);
                var back = new Uri(authorizationUri, (await ExpectAsync(signedIn, HttpStatusCode.Redirect, cancellationToken)).Headers.Location!);
                page.Dispose();
                page = await _http.GetAsync(back, cancellationToken);
            }
            if (page.StatusCode == HttpStatusCode.Redirect)
            {
                return Query(page.Headers.Location!);
            }
            await ExpectAsync(page, HttpStatusCode.OK, cancellationToken);
            using var allowed = await SubmitAsync(authorizationUri, page, [new("decision", "allow")], cancellationToken);
            return Query((await ExpectAsync(allowed, HttpStatusCode.Redirect, cancellationToken)).Headers.Location!);
        }
        finally
        {
            page.Dispose();
        }
    }

    /// <summary>The authorization endpoint's first answer, unfollowed (a page, or a redirect with an error).</summary>
    public Task<HttpResponseMessage> OpenAsync(Uri authorizationUri, CancellationToken cancellationToken) => _http.GetAsync(authorizationUri, cancellationToken);

    /// <summary>Signs in, then posts the consent form as a forged cross-site form would: the cookies, not the anti-forgery token.</summary>
    public async Task<HttpResponseMessage> ForgeConsentAsync(Uri authorizationUri, CancellationToken cancellationToken)
    {
        using var signInPage = await ExpectAsync(await _http.GetAsync(authorizationUri, cancellationToken), HttpStatusCode.OK, cancellationToken);
        using var signedIn = await SubmitAsync(authorizationUri, signInPage, [new("username", "developer"), new("password", password)], cancellationToken);
        var back = new Uri(authorizationUri, (await ExpectAsync(signedIn, HttpStatusCode.Redirect, cancellationToken)).Headers.Location!);
        var query = back.Query;
        return await _http.PostAsync(new Uri(authorizationUri, "/connect/authorize/consent"),
            new FormUrlEncodedContent([new("request", query), new("decision", "allow")]), cancellationToken);
    }

    private async Task<HttpResponseMessage> SubmitAsync(Uri page, HttpResponseMessage form, IEnumerable<KeyValuePair<string, string>> fields, CancellationToken cancellationToken)
    {
        var html = await form.Content.ReadAsStringAsync(cancellationToken);
        var action = Action().Match(html);
        Assert.True(action.Success, $"no form on the page: {html}");
        var hidden = Hidden().Matches(html).Select(m => new KeyValuePair<string, string>(WebUtility.HtmlDecode(m.Groups["name"].Value), WebUtility.HtmlDecode(m.Groups["value"].Value)));
        return await _http.PostAsync(new Uri(page, WebUtility.HtmlDecode(action.Groups["action"].Value)), new FormUrlEncodedContent([.. hidden, .. fields]), cancellationToken);
    }

    private static async Task<HttpResponseMessage> ExpectAsync(HttpResponseMessage response, HttpStatusCode status, CancellationToken cancellationToken)
    {
        if (response.StatusCode != status)
        {
            Assert.Fail($"expected {status}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        return response;
    }

    private static Dictionary<string, string> Query(Uri redirect) => QueryHelpers.ParseQuery(redirect.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("""<form method="post" action="(?<action>[^"]+)">""")]
    private static partial Regex Action();

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
    private static partial Regex Hidden();
}
