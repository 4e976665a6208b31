using TotService;

var builder = WebApplication.CreateBuilder(args);

// Service defaults, options, JwtBearer for KeyService tokens, scope policies, rate limiting, MCP server: see AddTotService.
builder.AddTotService();

var app = builder.Build();

// Error handling, Host/Origin, authentication, authorization, rate limiting, the body check; then health, RFC 9728
// metadata and /mcp.
app.MapTotService();

app.Run();
