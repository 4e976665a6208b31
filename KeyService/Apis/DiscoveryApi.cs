using KeyService.Options;
using Microsoft.Extensions.Options;

namespace KeyService.Apis;

public static class DiscoveryApi
{
    public const string OpenIdConfigurationPath = "/.well-known/openid-configuration";
    public const string AuthorizationServerPath = "/.well-known/oauth-authorization-server";

    public static IEndpointRouteBuilder MapDiscoveryApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(OpenIdConfigurationPath, GetMetadata)
            .WithName("GetOpenIdConfiguration")
            .WithSummary("Metadata in the OpenID Connect discovery location (what most JWT libraries read).")
            .AllowAnonymous();
        app.MapGet(AuthorizationServerPath, GetMetadata)
            .WithName("GetAuthorizationServerMetadata")
            .WithSummary("RFC 8414 authorization server metadata.")
            .AllowAnonymous();
        return app;
    }

    public static IResult GetMetadata(HttpContext context, DiscoveryDocument document, IOptions<KeyServiceOptions> options)
    {
        context.Response.Headers.AccessControlAllowOrigin = "*";
        context.Response.Headers.CacheControl = $"public, max-age={(long)options.Value.JwksMaxAge.TotalSeconds}";
        return Results.Bytes(document.Bytes, "application/json");
    }
}
