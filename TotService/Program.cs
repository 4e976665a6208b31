using TotService;

var builder = WebApplication.CreateBuilder(args);

// Service defaults, options, KeyService token validation, transport hardening, MCP server: see AddTotService.
builder.AddTotService();

var app = builder.Build();

// Error handling, then the gate in front of /mcp (Host/Origin, body cap, token, rate limit, scopes); then health,
// RFC 9728 metadata and /mcp.
app.MapTotService();

app.Run();
