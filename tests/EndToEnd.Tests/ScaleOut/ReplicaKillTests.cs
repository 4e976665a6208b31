using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using EndToEnd.Tests.Infrastructure;
using EndToEnd.Tests.Tot;
using ModelContextProtocol.Client;

namespace EndToEnd.Tests.ScaleOut;

/// <summary>
/// A TotService replica killed (SIGKILL) while several 2026-07-28 clients call tools and start runs through the
/// round-robin proxy. The replica is started again at the end, so the shared app model is whole for the next class
/// (cheaper than an app model of its own, which would start and stop beside the shared one).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReplicaKillTests(EndToEndAppModel model)
{
    /// <summary>A bound well under TotService's 50 stored runs per client, so no run of this test is evicted.</summary>
    private const int RunsPerWorker = 15;

    private static readonly string[] Puzzles = ["4 9 10 13", "1 5 5 5", "3 3 8 8", "2 3 4 6", "1 1 1 1", "6 6 6 6"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_replica_killed_under_load_fails_only_the_calls_in_flight_on_it_and_every_run_still_answers()
    {
        var clock = Stopwatch.StartNew();
        var testStart = TimeProvider.System.GetUtcNow();
        await using var proxy = await RoundRobinProxy.StartAsync(model, Cancel);
        var victim = model.TotServices[1];
        var survivor = model.TotServices[0];
        var victimEndpoint = model.Endpoint(victim);
        var journal = new CallJournal(proxy);
        var runs = new ConcurrentDictionary<string, (string Subject, string StartTag)>();
        var tokens = new Dictionary<string, string>
        {
            ["dev"] = await model.GetTokenAsync(cancellationToken: Cancel),
            [EndToEndAppModel.OtherClientId] = await model.GetOtherTokenAsync(Cancel),
        };
        var output = TestContext.Current.TestOutputHelper;
        var killed = false;
        try
        {
            // One run worker per subject: TotService admits two live runs per subject across replicas, and a start that
            // fails in flight may leave a run nobody knows live until its lease expires, so a second worker could be refused.
            var workers = new List<(string Name, McpClient Client, Func<Func<bool>, Task> Work)>();
            foreach (var (subject, token) in tokens)
            {
                var client = await proxy.ConnectAsync(token, cancellationToken: Cancel);
                workers.Add(($"runs-{subject}", client, stopping => RunWorkerAsync(journal, client, $"runs-{subject}", subject, runs, stopping)));
            }
            for (var i = 0; i < 3; i++)
            {
                var (name, client) = ($"tools-{i}", await proxy.ConnectAsync(tokens["dev"], cancellationToken: Cancel));
                workers.Add((name, client, stopping => ToolWorkerAsync(journal, client, name, stopping)));
            }

            long killStart = 0, killConfirmed = 0;
            var stopping = false;
            var load = workers.Select(w => Task.Run(() => w.Work(() => Volatile.Read(ref stopping)))).ToList();
            try
            {
                await Eventually.UntilAsync(() => journal.Calls.Count(c => !c.Failed) >= 40, TimeSpan.FromSeconds(60),
                    "40 calls to succeed before the kill", cancellationToken: Cancel);
                var process = model.Process(victim);
                killStart = TimeProvider.System.GetTimestamp();
                process.KillService();
                killed = true;
                // The kernel closes the replica's sockets when it reaps the process: from then on a connection is refused.
                await Eventually.UntilAsync(_ => RefusesConnectionsAsync(victimEndpoint), TimeSpan.FromSeconds(10),
                    $"{victim}'s port to refuse connections", TimeSpan.FromMilliseconds(5), Cancel);
                killConfirmed = TimeProvider.System.GetTimestamp();
                await Eventually.UntilAsync(() => workers.All(w => journal.Succeeded(w.Name, killConfirmed) >= 5), TimeSpan.FromSeconds(60),
                    "every client to make 5 more successful calls after the kill", cancellationToken: Cancel);
                await proxy.WaitForRotationAsync(victim, inRotation: false, TimeSpan.FromSeconds(10), Cancel);
            }
            finally
            {
                Volatile.Write(ref stopping, true);
                await Task.WhenAll(load);
                foreach (var worker in workers)
                {
                    await worker.Client.DisposeAsync();
                }
            }
            output?.WriteLine($"load phase {clock.Elapsed.TotalSeconds:0.0} s; kill to refused connections {Ms(killStart, killConfirmed)} ms");

            var attempts = await proxy.Log.SettledAsync(cancellationToken: Cancel);
            AssertOnlyCallsInFlightOnTheVictimFailed(journal.Calls, attempts, victim, killStart, killConfirmed);
            AssertRefusedRequestsWentToTheSurvivor(attempts, victim, survivor);
            await AssertEveryRunAnswersAsync(proxy, tokens, runs, testStart);
            Assert.All(await proxy.Log.SettledAsync(attempts[^1].Sequence + 1, Cancel), a => Assert.Equal(survivor, a.Destination));
            output?.WriteLine($"runs settled at {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            if (killed)
            {
                await RestartAsync(victim, victimEndpoint, proxy);
                output?.WriteLine($"{victim} back in the rotation at {clock.Elapsed.TotalSeconds:0.0} s");
            }
        }
    }

    /// <summary>A failed call's last attempt went to the victim and had begun, and not yet ended, while it was being killed.</summary>
    private static void AssertOnlyCallsInFlightOnTheVictimFailed(
        IReadOnlyList<TrackedCall> calls, IReadOnlyList<ProxiedRequest> attempts, string victim, long killStart, long killConfirmed)
    {
        var failed = calls.Where(c => c.Failed).ToList();
        foreach (var call in failed)
        {
            var last = attempts.LastOrDefault(a => a.CallTag == call.Tag);
            Assert.True(last is not null && last.Destination == victim && !last.Succeeded && last.InFlightBetween(killStart, killConfirmed),
                $"{call.Tag} failed ({call.Failure}) but was not in flight on {victim} when it was killed: {last?.ToString() ?? "no attempt"}");
        }
        var median = calls.Select(c => c.Finished - c.Started).Order().ElementAt(calls.Count / 2);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{calls.Count} calls ({calls.Count(c => c.Started >= killConfirmed)} after the kill, median {Ms(0, median)} ms), {failed.Count} failed, all in flight on {victim}: " +
            string.Join("; ", failed.Select(f => $"{f.Tag} ({Ms(f.Started, f.Finished)} ms, began {Ms(killStart, f.Started)} ms after the kill signal): {f.Failure}")));
    }

    /// <summary>Requests the dead replica refused (nothing of them reached it) were passed on and answered by the survivor.</summary>
    private static void AssertRefusedRequestsWentToTheSurvivor(IReadOnlyList<ProxiedRequest> attempts, string victim, string survivor)
    {
        var refused = attempts.Where(a => a.Destination == victim && a.ConnectionRefused).ToList();
        Assert.True(refused.Count > 0, $"no request reached the dead {victim} before the health check took it out; the test did not exercise the retry");
        foreach (var attempt in refused)
        {
            Assert.Contains(attempts, a => a.RequestId == attempt.RequestId && a.Sequence > attempt.Sequence && a.Destination == survivor && a.Succeeded);
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{refused.Count} requests refused by {victim} and answered by {survivor} before the health check took {victim} out");
    }

    /// <summary>
    /// Every run of the test answers from the survivor, those the clients know and any a start that failed in flight
    /// created, and completes: a run the dead replica held is taken over once its lease lapses.
    /// </summary>
    private static async Task AssertEveryRunAnswersAsync(
        RoundRobinProxy proxy, Dictionary<string, string> tokens, ConcurrentDictionary<string, (string Subject, string StartTag)> runs,
        DateTimeOffset testStart)
    {
        var outcomes = new Dictionary<string, int>();
        var listed = 0;
        foreach (var (subject, token) in tokens)
        {
            await using var owner = await proxy.ConnectAsync(token, cancellationToken: Cancel);
            var ids = (await owner.CallOkAsync("tot_list_runs", new { limit = 100 })).GetProperty("runs").EnumerateArray()
                .Where(r => r.GetProperty("createdAt").GetDateTimeOffset() >= testStart).Select(r => r.Str("runId")).ToList();
            Assert.Subset(ids.ToHashSet(), runs.Where(r => r.Value.Subject == subject).Select(r => r.Key).ToHashSet());
            listed += ids.Count;
            foreach (var runId in ids)
            {
                // A run the killed replica held keeps its last state until its lease (10 s) runs out.
                var end = await TotRunTests.WaitForEndAsync(owner, runId, pollMilliseconds: 250, timeoutSeconds: 40);
                var state = end.Str("state");
                // No run is lost: one the killed replica held is taken over by the survivor once its lease lapses and
                // searched again there.
                Assert.True(state == "completed", $"run {runId} ended {state}: {end.GetRawText()}");
                outcomes[state] = outcomes.GetValueOrDefault(state) + 1;
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{listed} runs ({runs.Count} known to their clients): {string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}"))}");
    }

    private async Task RestartAsync(string victim, Uri endpoint, RoundRobinProxy proxy)
    {
        await model.WaitForStateAsync(victim, KnownResourceStates.TerminalStates, TimeSpan.FromSeconds(30));
        await model.ExecuteCommandAsync(victim, KnownResourceCommands.StartCommand, Cancel);
        await model.WaitHealthyAsync(victim, TimeSpan.FromSeconds(90));
        // The proxy (and the next classes) reach it where it was.
        Assert.Equal(endpoint, model.Endpoint(victim));
        await proxy.WaitForRotationAsync(victim, inRotation: true, TimeSpan.FromSeconds(10), Cancel);
    }

    /// <summary>Starts runs one after another, reading each (status until it ends, result, trace); then keeps reading the last.</summary>
    private static async Task RunWorkerAsync(
        CallJournal journal, McpClient client, string worker, string subject, ConcurrentDictionary<string, (string, string)> runs, Func<bool> stopping)
    {
        string? runId = null;
        for (var k = 0; !stopping(); k++)
        {
            if (k < RunsPerWorker)
            {
                var start = await journal.CallAsync(client, worker, "tot_start_run",
                    new { task = Puzzles[k % Puzzles.Length], domain = "game24", provider = "domain", strategy = "beam" });
                if (start.Result is not { } started)
                {
                    continue;
                }
                runId = started.Str("runId");
                runs[runId] = (subject, start.Tag);
            }
            while (runId is not null && !stopping())
            {
                var status = await journal.CallAsync(client, worker, "tot_run_status", new { runId });
                if (status.Result is { } s && s.Str("state") is not ("queued" or "running"))
                {
                    break;
                }
            }
            if (runId is not null && !stopping())
            {
                await journal.CallAsync(client, worker, "tot_run_result", new { runId });
                await journal.CallAsync(client, worker, "tot_run_trace", new { runId });
            }
        }
    }

    private static async Task ToolWorkerAsync(CallJournal journal, McpClient client, string worker, Func<bool> stopping)
    {
        string[] tools = ["server_info", "whoami", "tot_list_runs"];
        for (var i = 0; !stopping(); i++)
        {
            await journal.CallAsync(client, worker, tools[i % tools.Length]);
        }
    }

    private static string Ms(long from, long to) =>
        TimeProvider.System.GetElapsedTime(from, to).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    private static async Task<bool> RefusesConnectionsAsync(Uri endpoint)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, Cancel);
            return false;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return true;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // Accepted into the listen queue of a process the kernel is still tearing down.
            return false;
        }
    }
}
