using ModelContextProtocol.AspNetCore;

namespace Bench.Baseline;

public static class BaselineHosts
{
    /// <summary>
    /// GET on one path returns the file's bytes as application/json; nothing else runs (no logging, no telemetry).
    /// With <c>--telemetry=true</c> the host also calls <c>AddServiceDefaults()</c>, to attribute the services'
    /// per-request cost between the shared telemetry and their own code.
    /// </summary>
    public static WebApplication BuildStaticHost(this WebApplicationBuilder builder)
    {
        var file = builder.Configuration["file"] ?? throw new InvalidOperationException("--file is required.");
        var path = builder.Configuration["route"] ?? "/.well-known/jwks.json";
        var bytes = File.ReadAllBytes(file);
        if (builder.Configuration.GetValue<bool>("telemetry"))
        {
            builder.AddServiceDefaults();
        }
        else
        {
            builder.Logging.ClearProviders();
        }
        var app = builder.Build();
        app.MapGet(path, () => Results.Bytes(bytes, "application/json"));
        app.MapGet("/health", () => Results.Text("Healthy"));
        return app;
    }

    /// <summary>
    /// The MCP half of TotService's composition, minus authentication, authorization, rate limiting and guards.
    /// <see cref="HttpServerSessionMode.Stateful"/> is the baseline for sessions opened with <c>initialize</c>;
    /// <see cref="HttpServerSessionMode.Stateless"/> the one for protocol version 2026-07-28 requests.
    /// </summary>
    public static WebApplication BuildMcpHost(this WebApplicationBuilder builder, HttpServerSessionMode sessionMode)
    {
        builder.AddServiceDefaults();
        builder.Services.AddMcpServer()
            .WithHttpTransport(transport => transport.SessionMode = sessionMode)
            .WithTools<BaselineTools>();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapMcp("/mcp");
        return app;
    }
}
