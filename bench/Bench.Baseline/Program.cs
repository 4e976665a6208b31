using Bench.Baseline;

// Two baselines, chosen by --mode:
//   static --file <path> --route <url path>: a minimal Kestrel endpoint (slim builder) returning the given bytes
//        (JWKS baseline);
//   mcp: an MCP server on the same host builder as TotService (WebApplication.CreateBuilder), with the same SDK,
//        session mode, ServiceDefaults and whoami tool shape, without authentication, rate limiting or the transport
//        guard (baseline for authenticated tools/call).
var mode = args.FirstOrDefault(a => a.StartsWith("--mode=", StringComparison.Ordinal))?["--mode=".Length..]
    ?? throw new InvalidOperationException("--mode=static|mcp is required.");
var app = mode switch
{
    "static" => WebApplication.CreateSlimBuilder(args).BuildStaticHost(),
    "mcp" => WebApplication.CreateBuilder(args).BuildMcpHost(),
    _ => throw new InvalidOperationException($"Unknown --mode '{mode}'."),
};
app.Run();
