using System.Net.Http.Headers;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using Microsoft.IdentityModel.JsonWebTokens;
using Resilience.Tests.Infrastructure;

namespace Resilience.Tests;

/// <summary>
/// Faults under steady load (tokens, JWKS and MCP whoami on every instance) against the whole app model. Each test
/// starts from a healthy model and leaves one. A crash is a SIGKILL of the process the orchestrator reports; the
/// orchestrator does not start a crashed resource again by itself, so each test then gives it the start command (as an
/// operator would from the dashboard) and measures recovery from the started process's own start (the orchestrator's
/// <c>dotnet run</c> of a project comes before it) and from the command. See <see cref="LoadVerdict"/> for what the
/// answers must satisfy.
/// </summary>
[Collection(ResilienceCollection.Name)]
public sealed class FaultTests(ResilienceAppModel model, ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// From the started process's own start until every instance of both services is ready again: a few seconds on an
    /// idle machine, up to half a minute on two cores shared with other builds; a hang or a restart loop exceeds it.
    /// </summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(45);

    /// <summary>
    /// From the start command until then. The orchestrator starts a project through <c>dotnet run</c>, which evaluates
    /// the project before the service starts: tens of seconds on a busy machine, and not the services' doing.
    /// </summary>
    private static readonly TimeSpan LaunchBound = TimeSpan.FromSeconds(150);

    /// <summary>From the SIGKILL until the orchestrator reports the resource stopped.</summary>
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(2);

    /// <summary>Load after recovery: a freshly started process compiles each request path on its first requests.</summary>
    private static readonly TimeSpan SteadyAfter = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task Redis_killed_and_restarted_services_degrade_and_recover_without_losing_keys()
    {
        await WarmAsync();
        var keysBefore = await model.JwksKidsAsync(0, Ct);
        var tokenBefore = await model.GetTokenAsync("tot:read", cancellationToken: Ct);

        await using var load = await SteadyLoad.StartAsync(model);
        await Task.Delay(Steady, Ct);
        var killed = load.Now;
        await model.KillAsync("redis", ExitBound);
        // Services keep serving what they hold while Redis is away.
        await Task.Delay(TimeSpan.FromSeconds(4), Ct);
        var (recovered, recovery) = await StartAgainAsync(load, "redis");
        await Task.Delay(SteadyAfter, Ct);
        await load.StopAsync();
        model.WriteServiceLogs(output, load.StartedAt);

        output.WriteLine($"{load.Outcomes.Count} requests; ready again {recovery}");
        LoadVerdict.AssertClean(load.Outcomes, new FaultWindow("redis", 0, killed, recovered, Unavailable503: true));
        LoadVerdict.AssertServedAfter(load.Outcomes, recovered + TimeSpan.FromSeconds(0.5), model.Instances);
        Assert.True(recovery.FromProcessStart < RecoveryBound, $"services ready again {recovery} (Redis restarted)");
        // Redis came back empty (no persistence): the instances re-seed it from the keys they hold.
        await Checks.AssertKeysPublishedAsync(model, keysBefore);
        await Checks.AssertRingInRedisAsync(model, keysBefore, RecoveryBound);
        await Checks.AssertAcceptedEverywhereAsync(model, tokenBefore, "token issued before the Redis outage");
    }

    [Fact]
    public async Task KeyService_instance_killed_with_sigkill_and_started_again_serves_the_same_keys()
    {
        await WarmAsync();
        var keysBefore = await model.JwksKidsAsync(0, Ct);

        await using var load = await SteadyLoad.StartAsync(model);
        await Task.Delay(Steady, Ct);
        var killed = load.Now;
        await model.KillAsync(model.KeyServices[1], ExitBound);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        var (recovered, recovery) = await StartAgainAsync(load, model.KeyServices[1]);
        await Task.Delay(SteadyAfter, Ct);
        await load.StopAsync();
        model.WriteServiceLogs(output, load.StartedAt);

        output.WriteLine($"{load.Outcomes.Count} requests; ready again {recovery}");
        LoadVerdict.AssertClean(load.Outcomes, new FaultWindow("keyservice", 1, killed, recovered));
        LoadVerdict.AssertServedAfter(load.Outcomes, recovered + TimeSpan.FromSeconds(0.5), model.Instances);
        Assert.True(recovery.FromProcessStart < RecoveryBound, $"{model.KeyServices[1]} restarted: services ready again {recovery}");
        await Checks.AssertKeysPublishedAsync(model, keysBefore);
        await Checks.AssertAcceptedEverywhereAsync(model, await model.GetTokenAsync("tot:read", keyserviceInstance: 1, cancellationToken: Ct), "token from the restarted KeyService instance");
    }

    [Fact]
    public async Task TotService_instance_killed_with_sigkill_and_started_again_accepts_tokens_issued_before()
    {
        await WarmAsync();
        var tokenBefore = await model.GetTokenAsync("tot:read", cancellationToken: Ct);
        // A run started before the crash lives in Redis: the restarted instance must still answer for it.
        var writer = await model.GetTokenAsync("tot:read tot:write", cancellationToken: Ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var (before, _) = await McpWire.OpenSessionAsync(http, model.McpEndpoint(0), writer, Ct);
        Assert.NotNull(before);
        var (startStatus, started) = await McpWire.CallToolAsync(http, model.McpEndpoint(0), writer, before, "tot_start_run",
            """{"task":"4 9 10 13","domain":"game24"}""", Ct);
        var runId = System.Text.RegularExpressions.Regex.Match(started, "run_[0-9a-f]{32}").Value;
        Assert.True(startStatus == 200 && runId.Length > 0, $"tot_start_run: {startStatus} {started}");

        await using var load = await SteadyLoad.StartAsync(model);
        await Task.Delay(Steady, Ct);
        var killed = load.Now;
        await model.KillAsync(model.TotServices[1], ExitBound);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        var (recovered, recovery) = await StartAgainAsync(load, model.TotServices[1]);
        await Task.Delay(SteadyAfter, Ct);
        await load.StopAsync();
        model.WriteServiceLogs(output, load.StartedAt);

        output.WriteLine($"{load.Outcomes.Count} requests; ready again {recovery}");
        LoadVerdict.AssertClean(load.Outcomes, new FaultWindow("totservice", 1, killed, recovered));
        LoadVerdict.AssertServedAfter(load.Outcomes, recovered + TimeSpan.FromSeconds(0.5), model.Instances);
        Assert.True(recovery.FromProcessStart < RecoveryBound, $"{model.TotServices[1]} restarted: services ready again {recovery}");
        await Checks.AssertAcceptedEverywhereAsync(model, tokenBefore, "token issued before the TotService crash");
        var (after, _) = await McpWire.OpenSessionAsync(http, model.McpEndpoint(1), writer, Ct);
        Assert.NotNull(after);
        var (statusCode, status) = await McpWire.CallToolAsync(http, model.McpEndpoint(1), writer, after, "tot_run_status",
            $$"""{"runId":"{{runId}}"}""", Ct);
        Assert.True(statusCode == 200 && status.Contains(runId, StringComparison.Ordinal) && !status.Contains("\"isError\":true", StringComparison.Ordinal),
            $"run {runId} lost after the crash: {statusCode} {status}");
    }

    [Fact]
    public async Task KeyService_restarted_during_a_rotation_completes_it_with_one_new_key()
    {
        await WarmAsync();
        var keysBefore = await model.JwksKidsAsync(0, Ct);
        var adminToken = await model.GetAdminTokenAsync(Ct);

        await using var load = await SteadyLoad.StartAsync(model);
        await Task.Delay(Steady, Ct);
        var (kid, activates) = await RotateAsync(adminToken);
        // The new key is published and waits out its propagation time; the instance that created it crashes now.
        var killed = load.Now;
        await model.KillAsync(model.KeyServices[0], ExitBound);
        var (recovered, recovery) = await StartAgainAsync(load, model.KeyServices[0]);
        var untilActive = activates - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (untilActive > TimeSpan.Zero)
        {
            await Task.Delay(untilActive, Ct);
        }
        await Task.Delay(SteadyAfter, Ct);
        await load.StopAsync();
        model.WriteServiceLogs(output, load.StartedAt);

        output.WriteLine($"{load.Outcomes.Count} requests; ready again {recovery}");
        LoadVerdict.AssertClean(load.Outcomes, new FaultWindow("keyservice", 0, killed, recovered));
        LoadVerdict.AssertServedAfter(load.Outcomes, recovered + TimeSpan.FromSeconds(0.5), model.Instances);
        Assert.True(recovery.FromProcessStart < RecoveryBound, $"{model.KeyServices[0]} restarted: services ready again {recovery}");

        // Exactly one key was added, every instance publishes it, and every instance now signs with it.
        var expected = new HashSet<string>(keysBefore) { kid };
        for (var instance = 0; instance < model.Instances; instance++)
        {
            Assert.Equal(expected.Order(), (await model.JwksKidsAsync(instance, Ct)).Order());
            var token = await model.GetTokenAsync("tot:read", keyserviceInstance: instance, cancellationToken: Ct);
            Assert.Equal(kid, new JsonWebToken(token).Kid);
            await Checks.AssertAcceptedEverywhereAsync(model, token, $"token signed by the rotated key on {model.KeyServices[instance]}");
        }
        await Checks.AssertRingInRedisAsync(model, expected, RecoveryBound);
    }

    /// <summary>Every resource healthy and every TotService instance through one MCP call, so the load starts on warm processes.</summary>
    private async Task WarmAsync()
    {
        await model.WaitAllHealthyAsync(LaunchBound);
        await Checks.AssertAcceptedEverywhereAsync(model, await model.GetTokenAsync("tot:read", cancellationToken: Ct), "warm-up call before the fault");
    }

    /// <summary>How long recovery took, from the started process's own start and from the start command.</summary>
    private sealed record Recovery(TimeSpan FromProcessStart, TimeSpan FromCommand)
    {
        public override string ToString() =>
            $"{FromProcessStart.TotalSeconds:0.0} s after the process started ({FromCommand.TotalSeconds:0.0} s after the start command)";
    }

    /// <summary>The start command (the orchestrator leaves a crashed resource stopped), then the wait until every instance is healthy.</summary>
    private async Task<(TimeSpan Recovered, Recovery Recovery)> StartAgainAsync(SteadyLoad load, string resource)
    {
        var command = load.Now;
        await model.ExecuteCommandAsync(resource, KnownResourceCommands.StartCommand, Ct);
        await Checks.WaitServicesHealthyAsync(model, LaunchBound);
        var recovered = load.Now;
        return (recovered, new Recovery(model.Process(resource).ServiceAge(), recovered - command));
    }

    private async Task<(string Kid, DateTimeOffset Activates)> RotateAsync(string adminToken)
    {
        using var http = model.CreateHttpClient(model.KeyServices[0]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys/rotate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True((int)response.StatusCode == 202, $"rotate: {(int)response.StatusCode} {body}");
        var info = JsonDocument.Parse(body).RootElement;
        return (info.GetProperty("kid").GetString()!, info.GetProperty("activates").GetDateTimeOffset());
    }
}
