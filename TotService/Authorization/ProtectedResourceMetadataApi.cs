using Microsoft.Extensions.Options;
using ModelContextProtocol;
using ModelContextProtocol.Authentication;
using TotService.Configuration;
using TotService.Identity;

namespace TotService.Authorization;

/// <summary>
/// RFC 9728 OAuth 2.0 Protected Resource Metadata, as the MCP authorization spec requires, in the SDK's own
/// <see cref="ProtectedResourceMetadata"/> type and JSON options. Served here rather than by the SDK's authentication
/// handler, which serves one path and no caching header; clients try both the path-specific and the root variant.
/// </summary>
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
        var metadata = new ProtectedResourceMetadata
        {
            Resource = settings.Audience,
            AuthorizationServers = [settings.Issuer],
            ScopesSupported = [.. TotScopes.All],
            BearerMethodsSupported = ["header"],
            ResourceName = "Tree-of-Thoughts MCP",
        };
        return TypedResults.Json(metadata, McpJsonUtilities.DefaultOptions);
    }
}
