using System.Text.Json;
using EndToEnd.Tests.Infrastructure;
using EndToEnd.Tests.Tot;
using ModelContextProtocol.Client;

namespace EndToEnd.Tests.ScaleOut;

/// <summary>
/// Two TotService replicas behind a plain round-robin proxy (<see cref="RoundRobinProxy"/>), reached by the official C#
/// SDK client on 2026-07-28 with a KeyService token: no session, so every call may go to any replica, and runs live in
/// Redis, so either replica reads and cancels what the other started.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ScaleOutTests(EndToEndAppModel model) : IAsyncLifetime
{
    private RoundRobinProxy? _proxy;

    private RoundRobinProxy Proxy => _proxy ?? throw new InvalidOperationException("The proxy has not started.");

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _proxy = await RoundRobinProxy.StartAsync(model, Cancel);

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_2026_client_s_successive_calls_alternate_between_the_replicas()
    {
        var token = await model.GetTokenAsync(cancellationToken: Cancel);
        await using var client = await Proxy.ConnectAsync(token, cancellationToken: Cancel);
        Assert.Equal(RoundRobinProxy.Revision, client.NegotiatedProtocolVersion);
        Assert.Null(client.SessionId);

        var mark = await Proxy.Log.MarkAsync(Cancel);
        for (var call = 0; call < 6; call++)
        {
            using (Proxy.Tag($"alternate-{call}"))
            {
                await client.CallOkAsync("server_info");
            }
        }

        var served = await Proxy.Log.SettledAsync(mark, Cancel);
        Assert.All(served, attempt => Assert.True(attempt.Succeeded, $"{attempt}"));
        Assert.Equal(Enumerable.Range(0, 6).Select(call => $"alternate-{call}"), served.Select(a => a.CallTag));
        Assert.All(served, attempt => Assert.Equal(("tools/call", "server_info"), (attempt.McpMethod, attempt.McpName)));
        Assert.Equal(model.TotServices.Order(StringComparer.Ordinal), served.Select(a => a.Destination).Distinct().Order(StringComparer.Ordinal));
        for (var i = 1; i < served.Count; i++)
        {
            Assert.True(served[i].Destination != served[i - 1].Destination,
                $"calls {i - 1} and {i} both went to {served[i].Destination}: {string.Join(", ", served.Select(a => a.Destination))}");
        }
    }

    [Fact]
    public async Task A_2025_client_s_session_stays_on_its_replica_while_a_2026_client_s_calls_alternate()
    {
        var token = await model.GetTokenAsync(cancellationToken: Cancel);
        await using var stateless = await Proxy.ConnectAsync(token, cancellationToken: Cancel);
        var mark = await Proxy.Log.MarkAsync(Cancel);
        await using var session = await Proxy.ConnectAsync(token, new McpClientOptions { ProtocolVersion = "2025-11-25" }, Cancel);
        Assert.NotNull(session.SessionId);

        for (var call = 0; call < 4; call++)
        {
            using (Proxy.Tag($"session-{call}"))
            {
                await session.CallOkAsync("server_info");
            }
            using (Proxy.Tag($"stateless-{call}"))
            {
                await stateless.CallOkAsync("server_info");
            }
        }

        var attempts = await Proxy.Log.SettledAsync(mark, Cancel);
        var initialize = attempts[0];
        Assert.All(attempts, attempt => Assert.True(attempt.Succeeded, $"{attempt}"));
        Assert.All(attempts.Where(a => a.CallTag?.StartsWith("session-", StringComparison.Ordinal) == true),
            attempt => Assert.Equal(initialize.Destination, attempt.Destination));
        var stateless2026 = attempts.Where(a => a.CallTag?.StartsWith("stateless-", StringComparison.Ordinal) == true).Select(a => a.Destination).ToList();
        Assert.Equal(4, stateless2026.Count);
        Assert.Equal(2, stateless2026.Distinct().Count());
    }

    [Fact]
    public async Task A_run_started_through_the_proxy_is_read_and_cancelled_by_the_other_replica()
    {
        var token = await model.GetTokenAsync(cancellationToken: Cancel);
        await using var client = await Proxy.ConnectAsync(token, cancellationToken: Cancel);

        var (started, starter) = await CallAsync(client, "start", "tot_start_run",
            new { task = "1 1 1 1", domain = "game24", provider = "domain", strategy = "mcts", maxIterations = 2000 });
        var runId = started.Str("runId");

        var (status, reader) = await CallAsync(client, "status", "tot_run_status", new { runId });
        Assert.NotEqual(starter, reader);
        Assert.Equal(runId, status.Str("runId"));

        // Round robin sends the next call to the replica that took the last one; one cheap call in between puts the cancel
        // on the other replica again.
        if ((await Proxy.Log.SettledAsync(cancellationToken: Cancel))[^1].Destination != starter)
        {
            await CallAsync(client, "between", "server_info", null);
        }
        var (cancel, canceller) = await CallAsync(client, "cancel", "tot_cancel_run", new { runId });
        Assert.NotEqual(starter, canceller);
        Assert.Equal(runId, cancel.Str("runId"));

        var end = await TotRunTests.WaitForEndAsync(client, runId);
        // A domain search can finish before the cancel arrives; either way the answer must say what happened.
        Assert.Equal(cancel.GetProperty("cancelRequested").GetBoolean() ? "cancelled" : "completed", end.Str("state"));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"run {runId}: started on {starter}, read on {reader}, cancel on {canceller} (state then {cancel.Str("state")}, cancel requested {cancel.GetProperty("cancelRequested").GetBoolean()}), ended {end.Str("state")}");
    }

    private async Task<(JsonElement Result, string Destination)> CallAsync(McpClient client, string tag, string tool, object? arguments)
    {
        JsonElement result;
        using (Proxy.Tag(tag))
        {
            result = await client.CallOkAsync(tool, arguments);
        }
        var attempt = Assert.Single(await Proxy.Log.ForCallAsync(tag, Cancel));
        Assert.True(attempt.Succeeded, $"{attempt}");
        return (result, attempt.Destination);
    }
}
