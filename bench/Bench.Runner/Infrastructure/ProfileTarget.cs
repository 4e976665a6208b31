namespace Bench.Runner.Infrastructure;

/// <summary>
/// <c>Bench.Runner.dll profile</c>: starts the app model, keeps TotService under the MCP whoami load for 60 s and
/// prints its PID, so a profiler (e.g. <c>dotnet-trace collect -p PID</c>) can attach. Not part of the report.
/// </summary>
public static class ProfileTarget
{
    public static async Task<int> RunAsync()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var app = await BenchApp.StartAsync(replicas: 1, cancel.Token);
        var token = await app.GetTokenAsync(cancel.Token);
        var endpoint = app.McpEndpoint(0);
        var session = await McpRaw.OpenSessionAsync(endpoint, token, cancel.Token);
        Console.WriteLine($"totservice pid {app.PidOf("totservice", 0)}");
        var load = await Wrk.RunAsync(endpoint, new WrkRequest("POST", McpRaw.WhoAmICall, McpRaw.Headers(token, session)), 64, TimeSpan.FromSeconds(60), cancel.Token);
        Console.WriteLine(load);
        return 0;
    }
}
