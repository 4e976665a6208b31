using Bench.Baseline;

// Two baselines, chosen by --mode:
//   static --file <path> --route <url path>: a minimal Kestrel endpoint returning the given bytes (JWKS baseline);
//   mcp: an MCP server with the same SDK, session mode, ServiceDefaults and whoami tool shape as TotService, without
//        authentication, rate limiting or the transport guard (baseline for authenticated tools/call).
var builder = WebApplication.CreateSlimBuilder(args);
var mode = builder.Configuration["mode"] ?? throw new InvalidOperationException("--mode static|mcp is required.");
var app = mode switch
{
    "static" => builder.BuildStaticHost(),
    "mcp" => builder.BuildMcpHost(),
    _ => throw new InvalidOperationException($"Unknown --mode '{mode}'."),
};
app.Run();
