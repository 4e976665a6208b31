using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace KeyService.Authorization;

/// <summary>
/// The sign-in, consent and error pages: plain HTML forms that work without JavaScript and with a keyboard, every
/// form with an anti-forgery token, never framed, never cached, and no referrer sent on (codes and requests stay
/// out of other sites' logs). The only style is one inline sheet, allowed by its hash.
/// </summary>
public static class AuthorizationPages
{
    public const string SignInPath = "/connect/authorize/signin";
    public const string ConsentPath = "/connect/authorize/consent";

    /// <summary>The person's applications page (under the sign-in cookie's path, so the cookie comes along).</summary>
    public const string ConsentsPath = "/connect/authorize/consents";

    private const string Style =
        "body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}" +
        "label{display:block;margin-top:1rem;font-weight:600}input{display:block;width:100%;padding:.5rem;font-size:1rem;box-sizing:border-box}" +
        "button{margin-top:1.5rem;margin-right:.5rem;padding:.6rem 1.2rem;font-size:1rem}button:focus,input:focus{outline:3px solid #0a58ca}" +
        ".error{color:#a40000;font-weight:600}img{max-width:64px;max-height:64px}";

    private static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "img-src https:; frame-ancestors 'none'; base-uri 'none'";

    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    /// <summary>The development user's password form; with <paramref name="upstreamName"/>, a button for the organisation's provider after it.</summary>
    public static IResult SignIn(HttpContext context, AuthorizationRequest request, string? error, string? upstreamName, int status = StatusCodes.Status200OK)
    {
        var hidden = Hidden(context, request);
        var upstream = upstreamName is null ? "" : $"""
            <form method="post" action="{SignInPath}">
              {hidden}<input type="hidden" name="provider" value="upstream">
              <button type="submit">Sign in with {E(upstreamName)}</button>
            </form>
            """;
        return Page(context, "Sign in", status, $"""
            <h1>Sign in</h1>
            <p>{E(request.Client.DisplayName)} asks to use your account.</p>
            {ErrorLine(error)}
            <form method="post" action="{SignInPath}">
              {hidden}
              <label for="username">User name</label>
              <input id="username" name="username" autocomplete="username" required autofocus>
              <label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required>
              <button type="submit">Sign in</button>
            </form>
            {upstream}
            """);
    }

    public static IResult Consent(HttpContext context, AuthorizationRequest request, string userName)
    {
        var client = request.Client;
        var logo = client.LogoUri is { } l ? $"""<img src="{E(l)}" alt="">""" : "";
        var site = client.ClientUri is { } u ? $"""<p>Site: <a href="{E(u)}" rel="noreferrer">{E(u)}</a></p>""" : "";
        var scopes = string.Concat(request.Scopes.Select(s => $"<li><code>{E(s)}</code>: {E(Describe(s))}</li>"));
        return Page(context, "Allow access", StatusCodes.Status200OK, $"""
            <h1>{logo} Allow {E(client.DisplayName)}?</h1>
            <p>Signed in as <strong>{E(userName)}</strong>. The application <strong>{E(client.DisplayName)}</strong>
            (<code>{E(client.ClientId)}</code>) asks to act as you at <code>{E(request.Resource)}</code> with:</p>
            <ul>{scopes}</ul>
            {site}
            <p>You will be sent back to <code>{E(request.RedirectUri)}</code>. You can revoke this at any time on
            <a href="{ConsentsPath}">your applications page</a>.</p>
            <form method="post" action="{ConsentPath}">
              {Hidden(context, request)}
              <button type="submit" name="decision" value="allow">Allow</button>
              <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """);
    }

    /// <summary>The applications the person allowed, each with a button that revokes the consent.</summary>
    public static IResult Consents(HttpContext context, string userName, IReadOnlyList<Consent> consents)
    {
        var antiforgery = AntiforgeryField(context);
        var rows = string.Concat(consents.Select(consent => $"""
            <li><code>{E(consent.ClientId)}</code>: {E(string.Join(", ", consent.Scopes))}
              <form method="post" action="{ConsentsPath}">{antiforgery}<input type="hidden" name="client_id" value="{E(consent.ClientId)}">
                <button type="submit">Revoke</button></form></li>
            """));
        var list = consents.Count == 0 ? "<p>You have allowed no application.</p>" : $"<ul>{rows}</ul>";
        return Page(context, "Your applications", StatusCodes.Status200OK, $"""
            <h1>Your applications</h1>
            <p>Signed in as <strong>{E(userName)}</strong>. These applications may act as you with the scopes shown.
            Revoking one ends its access when its current access token expires (at most 15 minutes), and it must ask
            you again.</p>
            {list}
            """);
    }

    /// <summary>The applications page without a sign-in (the development user signs in from an application).</summary>
    public static IResult SignInFirst(HttpContext context) =>
        Page(context, "Sign in first", StatusCodes.Status401Unauthorized, """
            <h1>Sign in first</h1>
            <p>Sign in from one of your applications (an MCP client), then open this page again within the hour your
            sign-in lasts.</p>
            """);

    public static IResult Error(HttpContext context, string message, int status = StatusCodes.Status400BadRequest) =>
        Page(context, "Sign-in stopped", status, $"""
            <h1>Sign-in stopped</h1>
            <p class="error" role="alert">{E(message)}</p>
            <p>Close this page and start again from your application.</p>
            """);

    private static string Describe(string scope) => scope switch
    {
        "tot:read" => "read your reasoning runs, their results and traces",
        "tot:write" => "start and cancel reasoning runs, create and edit trees",
        _ => "access named by this scope",
    };

    private static string ErrorLine(string? error) => error is null ? "" : $"""<p class="error" role="alert">{E(error)}</p>""";

    private static string Hidden(HttpContext context, AuthorizationRequest request) =>
        $"""{AntiforgeryField(context)}<input type="hidden" name="request" value="{E(request.Query)}">""";

    private static string AntiforgeryField(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"""<input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken!)}">""";
    }

    private static IResult Page(HttpContext context, string title, int status, string body)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers.Pragma = "no-cache";
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{E(title)} - KeyService</title><style>{Style}</style></head>
            <body><main>
            {body}
            </main></body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    private static string E(string value) => Html.Encode(value);
}
