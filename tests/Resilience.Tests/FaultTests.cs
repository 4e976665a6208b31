using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Resilience.Tests.Infrastructure;

namespace Resilience.Tests;

/// <summary>
/// Faults under steady load (tokens, JWKS and MCP whoami on every replica) against the whole app model. Each test
/// starts from a healthy model and leaves one. See <see cref="LoadVerdict"/> for what the answers must satisfy.
/// </summary>
public sealed class FaultTests(ResilienceAppModel model, ITestOutputHelper output) : IClassFixture<ResilienceAppModel>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>From the end of a fault until every replica of both services is ready again.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Redis_killed_and_restarted_services_degrade_and_recover_without_losing_keys()
    {
        await model.WaitAllHealthyAsync(RecoveryBound);
        var keysBefore = await model.JwksKidsAsync(0, Ct);
        var tokenBefore = await model.GetTokenAsync(cancellationToken: Ct);

        await using var load = await SteadyLoad.StartAsync(model);
        await Task.Delay(Steady, Ct);
        var killed = load.Now;
        await model.KillAsync("redis");
        // Services keep serving what they hold while Redis is away.
        await Task.Delay(TimeSpan.FromSeconds(4), Ct);
        await model.App.StartResourceAsync("redis");
        var restarted = load.Now;
        var recovery = await Checks.WaitServicesHealthyAsync(model, RecoveryBound);
        var recovered = load.Now;
        await Task.Delay(Steady, Ct);
        await load.StopAsync();
        model.WriteServiceLogs(output, load.StartedAt);

        output.WriteLine($"{load.Outcomes.Count} requests; ready again {recovery.TotalSeconds:0.0} s after the fault ended");
        LoadVerdict.AssertClean(load.Outcomes, new FaultWindow("redis", 0, killed, recovered, Unavailable503: true));
        LoadVerdict.AssertServedAfter(load.Outcomes, recovered + TimeSpan.FromSeconds(0.5), model.Replicas);
        Assert.True(recovery < RecoveryBound, $"recovery took {recovery.TotalSeconds:0.0} s after Redis returned (at {restarted.TotalSeconds:0.0} s)");
        // Redis came back empty (no persistence): the replicas re-seed it from the keys they hold.
        await Checks.AssertKeysPublishedAsync(model, keysBefore);
        await Checks.AssertRingInRedisAsync(model, keysBefore, RecoveryBound);
        await Checks.AssertAcceptedEverywhereAsync(model, tokenBefore, "token issued before the Redis outage");
    }

    [Fact]
    public async Task KeyService_replica_killed_with_sigkill_is_restarted_and_serves_the_same_keys()
    {
        await model.WaitAllHealthyAsync(RecoveryBound);
        var keysBefore = await model.JwksKidsAsync(0, Ct);

        await using var load = await SteadyLoad.StartAsync(model);
        await Task.Delay(Steady, Ct);
        var killed = load.Now;
        await model.KillAsync("keyservice", 1);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        await model.App.StartResourceAsync("keyservice", 1);
        var recovery = await Checks.WaitServicesHealthyAsync(model, RecoveryBound);
        var recovered = load.Now;
        await Task.Delay(Steady, Ct);
        await load.StopAsync();
        model.WriteServiceLogs(output, load.StartedAt);

        output.WriteLine($"{load.Outcomes.Count} requests; ready again {recovery.TotalSeconds:0.0} s after the fault ended");
        LoadVerdict.AssertClean(load.Outcomes, new FaultWindow("keyservice", 1, killed, recovered));
        LoadVerdict.AssertServedAfter(load.Outcomes, recovered + TimeSpan.FromSeconds(0.5), model.Replicas);
        Assert.True(recovery < RecoveryBound, $"keyservice-1 took {recovery.TotalSeconds:0.0} s to be ready again");
        await Checks.AssertKeysPublishedAsync(model, keysBefore);
        await Checks.AssertAcceptedEverywhereAsync(model, await model.GetTokenAsync(keyserviceReplica: 1, cancellationToken: Ct), "token from the restarted KeyService replica");
    }

    [Fact]
    public async Task TotService_replica_killed_with_sigkill_is_restarted_and_accepts_tokens_issued_before()
    {
        await model.WaitAllHealthyAsync(RecoveryBound);
        var tokenBefore = await model.GetTokenAsync(cancellationToken: Ct);
        // A run started before the crash lives in Redis: the restarted replica must still answer for it.
        var writer = await model.GetTokenAsync(scope: "tot:read tot:write", cancellationToken: Ct);
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
        await model.KillAsync("totservice", 1);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        await model.App.StartResourceAsync("totservice", 1);
        var recovery = await Checks.WaitServicesHealthyAsync(model, RecoveryBound);
        var recovered = load.Now;
        await Task.Delay(Steady, Ct);
        await load.StopAsync();
        model.WriteServiceLogs(output, load.StartedAt);

        output.WriteLine($"{load.Outcomes.Count} requests; ready again {recovery.TotalSeconds:0.0} s after the fault ended");
        LoadVerdict.AssertClean(load.Outcomes, new FaultWindow("totservice", 1, killed, recovered));
        LoadVerdict.AssertServedAfter(load.Outcomes, recovered + TimeSpan.FromSeconds(0.5), model.Replicas);
        Assert.True(recovery < RecoveryBound, $"totservice-1 took {recovery.TotalSeconds:0.0} s to be ready again");
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
        await model.WaitAllHealthyAsync(RecoveryBound);
        var keysBefore = await model.JwksKidsAsync(0, Ct);
        var adminToken = await model.GetAdminTokenAsync(Ct);

        await using var load = await SteadyLoad.StartAsync(model);
        await Task.Delay(Steady, Ct);
        var (kid, activates) = await RotateAsync(adminToken);
        // The new key is published and waits out its propagation time; the replica that created it dies now.
        var killed = load.Now;
        await model.KillAsync("keyservice", 0);
        await model.App.StartResourceAsync("keyservice", 0);
        var recovery = await Checks.WaitServicesHealthyAsync(model, RecoveryBound);
        var recovered = load.Now;
        var untilActive = activates - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
        if (untilActive > TimeSpan.Zero)
        {
            await Task.Delay(untilActive, Ct);
        }
        await Task.Delay(Steady, Ct);
        await load.StopAsync();
        model.WriteServiceLogs(output, load.StartedAt);

        output.WriteLine($"{load.Outcomes.Count} requests; ready again {recovery.TotalSeconds:0.0} s after the fault ended");
        LoadVerdict.AssertClean(load.Outcomes, new FaultWindow("keyservice", 0, killed, recovered));
        LoadVerdict.AssertServedAfter(load.Outcomes, recovered + TimeSpan.FromSeconds(0.5), model.Replicas);
        Assert.True(recovery < RecoveryBound, $"keyservice-0 took {recovery.TotalSeconds:0.0} s to be ready again");

        // Exactly one key was added, every replica publishes it, and every replica now signs with it.
        var expected = new HashSet<string>(keysBefore) { kid };
        for (var replica = 0; replica < model.Replicas; replica++)
        {
            Assert.Equal(expected.Order(), (await model.JwksKidsAsync(replica, Ct)).Order());
            var token = await model.GetTokenAsync(keyserviceReplica: replica, cancellationToken: Ct);
            Assert.Equal(kid, new JsonWebToken(token).Kid);
            await Checks.AssertAcceptedEverywhereAsync(model, token, $"token signed by the rotated key on keyservice-{replica}");
        }
        await Checks.AssertRingInRedisAsync(model, expected, RecoveryBound);
    }

    private async Task<(string Kid, DateTimeOffset Activates)> RotateAsync(string adminToken)
    {
        using var http = model.App.CreateHttpClient("keyservice", 0);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys/rotate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        using var response = await http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True((int)response.StatusCode == 202, $"rotate: {(int)response.StatusCode} {body}");
        var info = JsonDocument.Parse(body).RootElement;
        return (info.GetProperty("kid").GetString()!, info.GetProperty("activates").GetDateTimeOffset());
    }
}
