using TotService;

var builder = WebApplication.CreateBuilder(args);

// Service defaults, options, KeyService token validation, transport hardening, MCP server: see AddTotService.
builder.AddTotService();

var app = builder.Build();

// Error handling, Host/Origin guard, auth, rate limiting, scope guard; then health, RFC 9728 metadata and /mcp.
app.MapTotService();

app.Run();
