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
    /// <para>Session mode: <b>stateful</b>. Tree-of-Thoughts asks the client's model through sampling, a
    /// server-to-client request that only works inside a session (the SDK's stateless default throws). Sessions
    /// live in one replica's memory, so scale-out needs the ingress to route on the <c>Mcp-Session-Id</c> header
    /// (consistent hashing); run state lives in Redis, so any replica can answer status queries. Each client may hold
    /// <c>TotService:Sessions:MaxPerClient</c> sessions; idle ones close after <c>TotService:Sessions:IdleTimeout</c>.</para>
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
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolMetricsFilter.CallTool));
        builder.Services.AddOptions<HttpServerTransportOptions>()
            .Configure<IConfiguration, McpSessionLimiter>(static (transport, configuration, sessions) =>
            {
                // MapMcp reads these while the pipeline is built, before options validation at start-up: bind without it.
                var settings = configuration.GetSection(TotServiceOptions.SectionName).Get<TotServiceOptions>() ?? new();
                transport.SessionMode = HttpServerSessionMode.Stateful;
#pragma warning disable MCP9006 // Stateful mode is obsolete for new protocol revisions; sampling needs it, and so its idle timeout.
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
