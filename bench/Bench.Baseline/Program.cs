using Bench.Baseline;
using ModelContextProtocol.AspNetCore;

// The baselines, chosen by --mode:
//   static --file <path> --route <url path>: a minimal Kestrel endpoint (slim builder) returning the given bytes
//        (JWKS baseline);
//   mcp: an MCP server on the same host builder as TotService (WebApplication.CreateBuilder), with the same SDK,
//        session mode, ServiceDefaults and whoami tool shape, without authentication, rate limiting or the transport
//        guard (baseline for authenticated tools/call on a session);
//   mcp-stateless: the same, with the SDK's stateless session mode (baseline for protocol version 2026-07-28 calls).
var mode = args.FirstOrDefault(a => a.StartsWith("--mode=", StringComparison.Ordinal))?["--mode=".Length..]
    ?? throw new InvalidOperationException("--mode=static|mcp|mcp-stateless is required.");
var app = mode switch
{
    "static" => WebApplication.CreateSlimBuilder(args).BuildStaticHost(),
    "mcp" => WebApplication.CreateBuilder(args).BuildMcpHost(HttpServerSessionMode.Stateful),
    "mcp-stateless" => WebApplication.CreateBuilder(args).BuildMcpHost(HttpServerSessionMode.Stateless),
    _ => throw new InvalidOperationException($"Unknown --mode '{mode}'."),
};
app.Run();
