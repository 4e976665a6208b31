using TotService.Authentication;
using TotService.Authorization;
using TotService.Configuration;
using TotService.Diagnostics;
using TotService.Http;
using TotService.Mcp;
using TotService.RateLimiting;
using TotService.Resources;
using TotService.Tasks;
using TotService.Tools;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
if (builder.Configuration.GetConnectionString("redis") is not null)
{
    builder.AddRedisClientDefaults("redis");   // without it, runs and trees stay in this process's memory
}
builder.AddTotServiceOptions();
builder.Services.AddSingleton<TotServiceMetrics>();
builder.Services.AddSingleton<AuditLog>();      // refusals for scope, rate and invalid tokens (TotService.Audit)
builder.AddHttpPerimeter();                     // Kestrel limits, no Server header, ProblemDetails without internals
builder.AddKeyServiceAuthentication();          // JwtBearer for KeyService tokens, JWKS through ConfigurationManager
builder.AddTotAuthorization();                  // a policy per scope, and /mcp's
builder.AddPerClientRateLimiting();             // token bucket per token subject
builder.AddTotMcpServer();                      // Streamable HTTP, sessions, tool filters
builder.AddTotTools();                          // ToT engine, background runs, trees, stores (Redis or memory)
builder.AddRunTasks();                          // runs as MCP tasks for clients that declare the extension
builder.AddTotPromptsAndResources();            // the tot_think prompt; runs and trees as tot:// resources

var app = builder.Build();

// Middleware order matters: refusals first, then who is calling, then what they may do.
app.UseSafeErrorResponses();                    // ProblemDetails, never exception details
app.UseRequestSources();                        // /mcp and metadata: Host and Origin
app.UseMcpRequestMetrics();                     // /mcp: every request counted, refused ones too
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseMcpRequestGuard();                       // POST /mcp: media type, body cap, one reading of the body, tool scopes

app.MapDefaultEndpoints();
app.MapProtectedResourceMetadataApi();
app.MapTotMcpApi();

app.Run();

/// <summary>Entry point, public so the tests host this composition through WebApplicationFactory.</summary>
public partial class Program;
