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

    /// <summary>Opens the authorization URL, signs in as the development user, allows, and returns the redirect's query.</summary>
    public async Task<Dictionary<string, string>> AuthorizeAsync(Uri authorizationUri, CancellationToken cancellationToken)
    {
        using var signInPage = await ExpectAsync(await _http.GetAsync(authorizationUri, cancellationToken), HttpStatusCode.OK, cancellationToken);
        using var signedIn = await SubmitAsync(authorizationUri, signInPage, [new("username", "developer"), new("password", password)], cancellationToken);
        var back = new Uri(authorizationUri, (await ExpectAsync(signedIn, HttpStatusCode.Redirect, cancellationToken)).Headers.Location!);
        using var consentPage = await _http.GetAsync(back, cancellationToken);
        if (consentPage.StatusCode == HttpStatusCode.Redirect)
        {
            return Query(consentPage.Headers.Location!);
        }
        await ExpectAsync(consentPage, HttpStatusCode.OK, cancellationToken);
        using var allowed = await SubmitAsync(authorizationUri, consentPage, [new("decision", "allow")], cancellationToken);
        return Query((await ExpectAsync(allowed, HttpStatusCode.Redirect, cancellationToken)).Headers.Location!);
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
