using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using TotService.Authorization;
using TotService.Hardening;

namespace TotService.Mcp;

public static class McpServerExtensions
{
    /// <summary>
    /// The MCP server over Streamable HTTP with every <c>[McpServerToolType]</c> of this assembly.
    /// <para>Session mode: <b>stateful</b>. Tree-of-Thoughts asks the client's model through sampling, a
    /// server-to-client request that only works inside a session (the SDK's stateless default throws). Sessions
    /// live in one replica's memory, so scale-out needs the ingress to route on the <c>Mcp-Session-Id</c> header
    /// (consistent hashing); run state lives in Redis, so any replica can answer status queries. Clients on the
    /// 2026-07-28 revision (no sessions) are told to downgrade to the initialize handshake.</para>
    /// </summary>
    public static IHostApplicationBuilder AddTotMcpServer(this IHostApplicationBuilder builder)
    {
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
            .WithHttpTransport(transport => transport.SessionMode = HttpServerSessionMode.Stateful)
            .WithSingletonToolsFromAssembly(typeof(McpServerExtensions).Assembly)
            .WithRequestFilters(filters =>
            {
                filters.AddListToolsFilter(ToolAuthorizationFilters.ListTools);
                filters.AddCallToolFilter(ToolAuthorizationFilters.CallTool);
            });
        builder.Services.AddSingleton<ToolScopeRegistry>();
        return builder;
    }

    /// <summary>
    /// Maps <c>/mcp</c>. Access is enforced ahead of it in the pipeline (<see cref="TotServiceComposition.MapTotService"/>),
    /// not by endpoint authorization metadata: <see cref="McpGateMiddleware"/> authenticates every request on this
    /// path, answers the unauthenticated with the bearer challenge and checks scopes per JSON-RPC call, after the
    /// per-client rate limit; the tool filters check scopes again. The 401 and 403 tests cover every verb.
    /// </summary>
    public static IEndpointRouteBuilder MapTotMcpApi(this IEndpointRouteBuilder app)
    {
        app.MapMcp(McpGateMiddleware.McpPath);
        return app;
    }
}
