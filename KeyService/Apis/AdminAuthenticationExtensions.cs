using KeyService.Diagnostics;
using KeyService.Keys;
using KeyService.Options;
using KeyService.Tokens;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace KeyService.Apis;

public static class AdminAuthenticationExtensions
{
    public const string AdminScope = "keys:admin";
    public const string AdminPolicy = "KeysAdmin";

    /// <summary>
    /// The admin API accepts only tokens this service issued: RS256 <c>at+jwt</c> with our issuer, audience = our
    /// issuer URL and scope <c>keys:admin</c>, checked against the in-process key ring (no metadata round trip).
    /// Failures follow RFC 6750, including <c>insufficient_scope</c> on 403.
    /// </summary>
    public static IHostApplicationBuilder AddAdminAuthentication(this IHostApplicationBuilder builder)
    {
        // No default scheme (and no automatic one: KeyService.csproj sets SuppressAutoDefaultScheme): only the admin
        // policy, which names the scheme, authenticates. Public endpoints (JWKS, metadata, token) never run JwtBearer.
        builder.Services.AddAuthentication().AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<KeyServiceOptions>, KeyRingCache>((jwt, options, cache) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new CompactJwsTokenHandler());
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Value.Issuer,
                    ValidAudience = options.Value.Issuer,
                    ValidTypes = ["at+jwt"],
                    ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    RequireSignedTokens = true,
                    NameClaimType = "client_id",
                    IssuerSigningKeyResolver = (_, _, kid, _) =>
                        cache.Current.Ring.Find(kid) is { } key ? [key.PublicKey] : [],
                };
                jwt.Events = new JwtBearerEvents
                {
                    OnChallenge = context =>
                    {
                        Audit(context.HttpContext, StatusCodes.Status401Unauthorized);
                        return Task.CompletedTask;
                    },
                    OnForbidden = context =>
                    {
                        Audit(context.HttpContext, StatusCodes.Status403Forbidden);
                        context.Response.Headers.WWWAuthenticate = $"Bearer error=\"insufficient_scope\", scope=\"{AdminScope}\"";
                        return Task.CompletedTask;
                    },
                };
            });
        builder.Services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy => policy
            .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.FindFirst("scope")?.Value
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(AdminScope) == true));
        return builder;
    }

    private static void Audit(HttpContext context, int status) => context.RequestServices.GetRequiredService<AuditLog>()
        .AdminAccessDenied(context.Request.Path, AdminApi.Who(context.User), SourceAddress.Of(context), status);
}
