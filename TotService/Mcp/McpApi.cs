using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using TotService.Authorization;
using TotService.Configuration;
using TotService.Identity;
using TotService.RateLimiting;

namespace TotService.Mcp;

public static class McpApi
{
    public const string Path = "/mcp";

    /// <summary>
    /// The MCP server over Streamable HTTP with every <c>[McpServerToolType]</c> of this assembly and the SDK's
    /// authorization filters (tools hidden from and refused to callers without their <see cref="RequiresScopeAttribute"/> scope).
    /// <para>Both MCP generations on one endpoint. Protocol version 2026-07-28 requests are served <b>statelessly</b>:
    /// each carries its revision and capabilities in <c>_meta</c>, so any replica answers it and no session is kept.
    /// Clients that send <c>initialize</c> (2025-11-25 and older) get a <b>session</b> as before, which sampling needs
    /// (a server-to-client request on the session's streams). Sessions live in one replica's memory, so the ingress
    /// routes on the <c>Mcp-Session-Id</c> header; run state lives in Redis, so any replica can answer status queries.
    /// Each client may hold <c>TotService:Sessions:MaxPerClient</c> sessions; idle ones close after
    /// <c>TotService:Sessions:IdleTimeout</c>.</para>
    /// </summary>
    public static IHostApplicationBuilder AddTotMcpServer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<McpSessionLimiter>();
        builder.Services.AddMcpServer(server =>
            {
                server.ServerInfo = new Implementation
                {
                    Name = ServerIdentity.Name,
                    Title = ServerIdentity.Product,
                    Version = ServerIdentity.Version,
                };
                server.ServerInstructions =
                    "Tree-of-Thoughts reasoning. Tools marked read-only need scope tot:read; tools that start or change runs need tot:write.";
            })
            .WithHttpTransport()
            .WithToolsFromAssembly(typeof(McpApi).Assembly)
            .AddAuthorizationFilters()
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolMetricsFilter.CallTool).AddListToolsFilter(ToolListCacheHints.ListTools))
            .WithMessageFilters(filters => filters.AddOutgoingFilter(DiscoverSupportedVersions.Outgoing));
        builder.Services.AddOptions<HttpServerTransportOptions>()
            .Configure<IConfiguration, McpSessionLimiter>(static (transport, configuration, sessions) =>
            {
                // MapMcp reads these while the pipeline is built, before options validation at start-up: bind without it.
                var settings = configuration.GetSection(TotServiceOptions.SectionName).Get<TotServiceOptions>() ?? new();
                transport.SessionMode = HttpServerSessionMode.StatefulForInitializeClients;
#pragma warning disable MCP9006 // Sessions are obsolete for new protocol revisions; initialize clients' sampling needs them, and so their idle timeout.
                transport.IdleTimeout = settings.Sessions.IdleTimeout;
#pragma warning restore MCP9006
#pragma warning disable MCPEXP002 // RunSessionHandler is experimental; it is the SDK's one hook around a session's lifetime.
                transport.RunSessionHandler = sessions.RunSessionAsync;
#pragma warning restore MCPEXP002
            });
        return builder;
    }

    /// <summary>
    /// <c>/mcp</c> behind ASP.NET Core authorization (any tot scope; tools ask for their own) and the per-client rate
    /// limit. Every other path under <c>/mcp</c> asks for a token too, so unauthenticated callers learn nothing about
    /// which exist.
    /// </summary>
    public static IEndpointRouteBuilder MapTotMcpApi(this IEndpointRouteBuilder app)
    {
        app.MapMcp(Path)
            .RequireAuthorization(TotScopes.AnyPolicy)
            .RequireRateLimiting(PerClientRateLimitPolicy.Name);
        app.Map(Path + "/{**rest}", () => TypedResults.NotFound())
            .RequireAuthorization(TotScopes.AnyPolicy)
            .ExcludeFromDescription();
        return app;
    }

    public static IApplicationBuilder UseMcpRequestMetrics(this IApplicationBuilder app) => app.UseMiddleware<McpRequestMetrics>();

    public static IApplicationBuilder UseMcpRequestGuard(this IApplicationBuilder app) => app.UseMiddleware<McpRequestGuard>();
}
