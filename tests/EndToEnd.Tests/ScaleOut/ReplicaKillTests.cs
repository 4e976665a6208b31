using System.Collections.Concurrent;
using System.Diagnostics;
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
    private const int RunsPerWorker = 15;

    private static readonly string[] Puzzles = ["4 9 10 13", "1 5 5 5", "3 3 8 8", "2 3 4 6", "1 1 1 1", "6 6 6 6"];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_replica_killed_under_load_fails_only_the_calls_in_flight_on_it_and_every_run_still_answers()
    {
        var clock = Stopwatch.StartNew();
        var testStart = DateTimeOffset.UtcNow;
        await using var proxy = await RoundRobinProxy.StartAsync(model, Cancel);
        var victim = model.TotServices[1];
        var survivor = model.TotServices[0];
        var victimEndpoint = model.Endpoint(victim);
        var journal = new CallJournal(proxy);
        var runs = new ConcurrentBag<(string RunId, string Subject, string StartTag)>();
        var tokens = new Dictionary<string, string>
        {
            ["dev"] = await model.GetTokenAsync(cancellationToken: Cancel),
            [EndToEndAppModel.OtherClientId] = await model.GetOtherTokenAsync(Cancel),
        };

        // One run worker per subject: TotService admits two live runs per subject across replicas, and a start that fails in
        // flight may leave an unknown run live until its lease expires, so one more worker could be refused.
        var workers = new List<(string Name, McpClient Client)>();
        foreach (var subject in tokens.Keys)
        {
            workers.Add(($"runs-{subject}", await proxy.ConnectAsync(tokens[subject], cancellationToken: Cancel)));
        }
        for (var i = 0; i < 3; i++)
        {
            workers.Add(($"tools-{i}", await proxy.ConnectAsync(tokens["dev"], cancellationToken: Cancel)));
        }
        var stopping = false;
        var killed = false;
        var load = workers.Select(w => Task.Run(() => w.Name.StartsWith("runs-", StringComparison.Ordinal)
            ? RunWorkerAsync(journal, w.Client, w.Name, w.Name["runs-".Length..], runs, () => Volatile.Read(ref stopping))
            : ToolWorkerAsync(journal, w.Client, w.Name, () => Volatile.Read(ref stopping)))).ToList();
        long killStart, killConfirmed;
        try
        {
            await Eventually.UntilAsync(() => journal.Calls.Count(c => !c.Failed) >= 40, TimeSpan.FromSeconds(60), "40 calls to succeed before the kill", cancellationToken: Cancel);
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
            foreach (var (_, client) in workers)
            {
                await client.DisposeAsync();
            }
        }
        var loadTime = clock.Elapsed;

        try
        {
            var attempts = await proxy.Log.SettledAsync(cancellationToken: Cancel);
            var calls = journal.Calls;
            var failed = calls.Where(c => c.Failed).ToList();
            foreach (var call in failed)
            {
                var last = attempts.LastOrDefault(a => a.CallTag == call.Tag);
                Assert.True(last is not null && last.Destination == victim && !last.Succeeded && last.InFlightBetween(killStart, killConfirmed),
                    $"{call.Tag} failed ({call.Failure}) but was not in flight on {victim} when it was killed: {last?.ToString() ?? "no attempt"}");
            }
            var refused = attempts.Where(a => a.Destination == victim && a.ConnectionRefused).ToList();
            var passedOn = refused.Count(r => attempts.Any(a => a.RequestId == r.RequestId && a.Sequence > r.Sequence && a.Destination == survivor && a.Succeeded));
            Assert.True(passedOn > 0, $"no request was refused by the dead {victim} and passed on to {survivor}; the test did not exercise the retry");
            Assert.Equal(refused.Count, passedOn);

            // Every run answers from the survivor: those the clients know, and any a start that failed in flight created.
            var owners = new Dictionary<string, McpClient>();
            foreach (var (subject, token) in tokens)
            {
                owners[subject] = await proxy.ConnectAsync(token, cancellationToken: Cancel);
            }
            var listed = new List<(string RunId, string Subject, string? StartTag)>();
            var startTags = runs.ToDictionary(r => r.RunId, r => r.StartTag);
            foreach (var (subject, owner) in owners)
            {
                var list = await owner.CallOkAsync("tot_list_runs", new { limit = 100 });
                listed.AddRange(list.GetProperty("runs").EnumerateArray()
                    .Where(r => r.GetProperty("createdAt").GetDateTimeOffset() >= testStart)
                    .Select(r => (r.Str("runId"), subject, startTags.GetValueOrDefault(r.Str("runId")))));
            }
            Assert.Subset(listed.Select(r => r.RunId).ToHashSet(), runs.Select(r => r.RunId).ToHashSet());
            var outcomes = new Dictionary<string, int>();
            foreach (var (runId, subject, startTag) in listed)
            {
                // A run the killed replica held keeps its last state until its lease (10 s) runs out.
                var end = await TotRunTests.WaitForEndAsync(owners[subject], runId, pollMilliseconds: 250, timeoutSeconds: 40);
                var state = end.Str("state");
                if (state == "failed")
                {
                    Assert.Contains("lease expired", end.Str("error"), StringComparison.Ordinal);
                    var start = startTag is null ? null : attempts.LastOrDefault(a => a.CallTag == startTag);
                    Assert.True(start is null || (start.Destination == victim && start.Started <= killConfirmed),
                        $"run {runId} lost its lease but was started on {start?.Destination}");
                }
                else
                {
                    Assert.Equal("completed", state);
                }
                outcomes[state] = outcomes.GetValueOrDefault(state) + 1;
            }
            var after = await proxy.Log.SettledAsync(attempts.Count == 0 ? 0 : attempts[^1].Sequence + 1, Cancel);
            Assert.All(after, a => Assert.Equal(survivor, a.Destination));
            foreach (var owner in owners.Values)
            {
                await owner.DisposeAsync();
            }

            var output = TestContext.Current.TestOutputHelper;
            output?.WriteLine($"{calls.Count} calls by {workers.Count} clients ({calls.Count(c => c.Started >= killConfirmed)} after the kill), {failed.Count} failed (in flight on {victim}): {string.Join("; ", failed.Select(f => $"{f.Tag} ({Ms(f.Started, f.Finished)} ms, began {Ms(f.Started, killStart)} ms before the kill): {f.Failure}"))}");
            output?.WriteLine($"call time: median {Ms(0, calls.Select(c => c.Finished - c.Started).Order().ElementAt(calls.Count / 2))} ms, slowest {string.Join(", ", calls.OrderByDescending(c => c.Finished - c.Started).Take(5).Select(c => $"{c.Tag} {Ms(c.Started, c.Finished)} ms"))}");
            output?.WriteLine($"kill to refused connections {Ms(killStart, killConfirmed)} ms; {refused.Count} requests refused by {victim} and passed on to {survivor} before the health check took it out");
            output?.WriteLine($"{listed.Count} runs ({runs.Count} known to their clients): {string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}"))}; load phase {loadTime.TotalSeconds:0.0} s, runs settled at {clock.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            if (killed)
            {
                await RestartAsync(victim, victimEndpoint, proxy);
            }
            TestContext.Current.TestOutputHelper?.WriteLine($"{victim} back in the rotation at {clock.Elapsed.TotalSeconds:0.0} s");
        }
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

    /// <summary>Starts runs one after another (each polled to its end), then keeps reading the last one.</summary>
    private static async Task RunWorkerAsync(
        CallJournal journal, McpClient client, string worker, string subject, ConcurrentBag<(string RunId, string Subject, string StartTag)> runs, Func<bool> stopping)
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
                runs.Add((runId, subject, start.Tag));
            }
            while (runId is not null && !stopping())
            {
                var status = await journal.CallAsync(client, worker, "tot_run_status", new { runId });
                if (k < RunsPerWorker && status.Result is { } s && s.Str("state") is not ("queued" or "running"))
                {
                    break;
                }
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

    private static string Ms(long from, long to) => TimeProvider.System.GetElapsedTime(from, to).TotalMilliseconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture);

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
