using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace KeyService.Authorization;

/// <summary>
/// Sign-in at the organisation's OpenID Connect provider, with ASP.NET Core's OpenID Connect handler: authorization
/// code with PKCE, the answer by query (a top-level GET, so the handler's SameSite=Lax cookies come back over http in
/// Development too), and the ID token turned into a <see cref="SignedInPerson"/> in KeyService's sign-in cookie. The
/// provider's tokens are not kept. A failed or refused sign-in ends on KeyService's error page, worded for the person.
/// </summary>
public static class UpstreamSignIn
{
    public const string Scheme = "KeyService.Upstream";

    /// <summary>Under the sign-in cookie's path, where the provider sends the person back.</summary>
    public const string CallbackPath = "/connect/authorize/upstream";

    private static readonly object RefusalKey = new();

    public static void AddUpstreamSignIn(this AuthenticationBuilder authentication)
    {
        authentication.AddOpenIdConnect(Scheme, _ => { });
        authentication.Services.AddOptions<OpenIdConnectOptions>(Scheme)
            .Configure<IOptions<AuthorizationOptions>, IHostEnvironment>(static (oidc, options, environment) =>
            {
                var upstream = options.Value.Upstream;
                var userScopes = options.Value.UserScopes;
                oidc.SignInScheme = AuthorizationExtensions.SignInScheme;
                oidc.Authority = upstream.Authority?.AbsoluteUri;
                oidc.RequireHttpsMetadata = !environment.IsDevelopment();
                oidc.ClientId = upstream.ClientId;
                oidc.ClientSecret = upstream.ClientSecret;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.UsePkce = true;
                oidc.CallbackPath = CallbackPath;
                oidc.MapInboundClaims = false;
                oidc.SaveTokens = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.DisableTelemetry = true;
                oidc.BackchannelTimeout = upstream.BackchannelTimeout;
                oidc.RemoteAuthenticationTimeout = TimeSpan.FromMinutes(10);
                oidc.Scope.Clear();
                foreach (var scope in upstream.Scopes)
                {
                    oidc.Scope.Add(scope);
                }
                foreach (var cookie in new[] { oidc.CorrelationCookie, oidc.NonceCookie })
                {
                    cookie.SameSite = SameSiteMode.Lax;
                    cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                }
                oidc.Events = new OpenIdConnectEvents
                {
                    OnTokenValidated = context =>
                    {
                        var (person, refusal) = UpstreamPerson.From(context.Principal!, upstream, userScopes);
                        if (person is null)
                        {
                            context.HttpContext.Items[RefusalKey] = refusal;
                            context.Fail("The provider's sign-in was refused.");
                            return Task.CompletedTask;
                        }
                        context.Principal = person.ToPrincipal();
                        return Task.CompletedTask;
                    },
                    OnRemoteFailure = async context =>
                    {
                        // The handler's reason (a correlation cookie gone, the provider's error, a bad ID token) is in its
                        // log; the person gets a page in plain words, never the exception.
                        context.HandleResponse();
                        var message = context.HttpContext.Items[RefusalKey] as string
                            ?? $"Sign-in at {upstream.DisplayName} did not complete.";
                        await AuthorizationPages.Error(context.HttpContext, message, StatusCodes.Status403Forbidden).ExecuteAsync(context.HttpContext);
                    },
                };
            });
    }
}
