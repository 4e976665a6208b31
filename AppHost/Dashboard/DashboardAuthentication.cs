using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AppHost.Dashboard;

/// <summary>
/// Aspire's browser-token login: the console shows <c>/login?t=TOKEN</c>; a valid token buys an HttpOnly,
/// SameSite=Strict session cookie, and every other route (pages, assets, APIs, streams) requires that cookie.
/// The cookie carries a separate random value, so the token itself never travels again after login.
/// </summary>
internal sealed class DashboardAuthentication
{
    public const string CookieName = "apphost-dashboard";
    public const string LoginPath = "/login";

    private readonly byte[] _token;
    private readonly byte[] _session;

    public DashboardAuthentication()
    {
        Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _token = Encoding.UTF8.GetBytes(Token);
        SessionValue = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        _session = Encoding.UTF8.GetBytes(SessionValue);
    }

    public string Token { get; }

    private string SessionValue { get; }

    public bool IsValidToken(string? candidate) => Matches(candidate, _token);

    public bool IsAuthenticated(HttpRequest request) => Matches(request.Cookies[CookieName], _session);

    private static bool Matches(string? candidate, byte[] expected) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), expected);

    /// <summary>Loopback Host headers only (DNS rebinding), then the session cookie on everything but the login page.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (!IsLoopbackHost(context.Request.Host))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.XFrameOptions = "DENY";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.Headers.ContentSecurityPolicy =
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'";

        if (context.Request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase) || IsAuthenticated(context.Request))
        {
            await next(context);
            return;
        }

        // Browsers asking for a page go to the login page; everything else (APIs, streams, assets) gets a plain 401.
        var wantsPage = HttpMethods.IsGet(context.Request.Method)
            && !context.Request.Path.StartsWithSegments("/api")
            && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
        if (wantsPage)
        {
            context.Response.Redirect(LoginPath);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Cookie realm=\"AppHost dashboard\"";
    }

    private static bool IsLoopbackHost(HostString host) =>
        host.Host is "localhost" || (IPAddress.TryParse(host.Host, out var address) && IPAddress.IsLoopback(address));

    public void MapLogin(IEndpointRouteBuilder routes)
    {
        routes.MapGet(LoginPath, (HttpContext context, string? t) => t is null ? LoginPage(null, StatusCodes.Status200OK) : SignIn(context, t))
            .WithName("DashboardLoginPage");
        routes.MapPost(LoginPath, async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            return SignIn(context, form["token"].ToString());
        }).WithName("DashboardLogin").DisableAntiforgery();
    }

    private IResult SignIn(HttpContext context, string token)
    {
        if (!IsValidToken(token))
        {
            return LoginPage("That token is not valid for this AppHost run. Use the link the AppHost printed on its console.", StatusCodes.Status401Unauthorized);
        }
        context.Response.Cookies.Append(CookieName, SessionValue, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/",
            IsEssential = true,
        });
        // Redirect so the token leaves the address bar and the history.
        return Results.Redirect("/");
    }

    private static IResult LoginPage(string? error, int statusCode) => Results.Content(
        DashboardAssets.LoginPage.Replace("{{error}}", error is null ? "" : $"<p class=\"error\">{WebUtility.HtmlEncode(error)}</p>", StringComparison.Ordinal),
        "text/html; charset=utf-8", Encoding.UTF8, statusCode);
}
