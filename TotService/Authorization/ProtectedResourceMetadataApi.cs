using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using TotService.Configuration;

namespace TotService.Authorization;

/// <summary>RFC 9728 OAuth 2.0 Protected Resource Metadata, as the MCP authorization spec requires.</summary>
public static class ProtectedResourceMetadataApi
{
    public static IEndpointRouteBuilder MapProtectedResourceMetadataApi(this IEndpointRouteBuilder app)
    {
        // Path-specific variant for /mcp (RFC 9728 section 3.1) and the root variant for clients that try it first.
        app.MapGet(ResourceUrls.WellKnownPrefix + "/mcp", GetMetadata)
            .WithName("ProtectedResourceMetadataMcp")
            .WithDescription("RFC 9728 metadata for the /mcp resource.")
            .AllowAnonymous();
        app.MapGet(ResourceUrls.WellKnownPrefix, GetMetadata)
            .WithName("ProtectedResourceMetadata")
            .WithDescription("RFC 9728 metadata (root variant).")
            .AllowAnonymous();
        return app;
    }

    public static IResult GetMetadata(HttpContext context, IOptions<TotServiceOptions> options)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        var settings = options.Value;
        return TypedResults.Json(new ProtectedResourceMetadata(
            settings.Audience,
            [settings.Issuer],
            TotScopes.All,
            ["header"],
            "Tree-of-Thoughts MCP"));
    }

    public sealed record ProtectedResourceMetadata(
        [property: JsonPropertyName("resource")] string Resource,
        [property: JsonPropertyName("authorization_servers")] IReadOnlyList<string> AuthorizationServers,
        [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
        [property: JsonPropertyName("bearer_methods_supported")] IReadOnlyList<string> BearerMethodsSupported,
        [property: JsonPropertyName("resource_name")] string ResourceName);
}
