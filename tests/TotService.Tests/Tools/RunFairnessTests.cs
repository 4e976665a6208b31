using System.Diagnostics;
using ModelContextProtocol.Client;

namespace TotService.Tests.Tools;

/// <summary>
/// Two clients start sampling runs with the longest budget and never answer the sampling requests; with the default
/// 4 slots and 2 runs per client they hold every slot. Another client's quick run must still run at once.
/// </summary>
public sealed class RunFairnessTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    [Fact]
    public async Task Unanswered_sampling_runs_of_two_clients_do_not_keep_a_third_clients_game24_run_from_its_budget()
    {
        var attackers = new List<(McpClient Client, SilentModel Model, List<string> Runs)>();
        try
        {
            foreach (var name in new[] { "silent-a-", "silent-b-" })
            {
                var model = new SilentModel();
                var client = await host.ConnectAsync(name + Guid.NewGuid().ToString("N")[..6], samplingModel: model);
                var runs = new List<string>();
                attackers.Add((client, model, runs));
                for (var i = 0; i < 2; i++)
                {
                    var started = await client.CallOkAsync("tot_start_run", new { task = "Plan a trip", provider = "sampling", timeBudgetSeconds = 600 });
                    runs.Add(started.Str("runId"));
                }
            }
            // Every attacking run is executing and waiting for its client's model (setup only, so the bound is generous).
            try
            {
                await Eventually.UntilAsync(
                    () => attackers.All(a => a.Model.Requests >= 2), TimeSpan.FromSeconds(20), "every attacking run to reach its client's model",
                    TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                var states = new List<string>();
                foreach (var (client, model, runs) in attackers)
                {
                    foreach (var runId in runs)
                    {
                        var status = await client.CallOkAsync("tot_run_status", new { runId });
                        states.Add($"{status.Str("state")} {(status.TryGetProperty("error", out var error) ? error.GetString() : "")} ({model.Requests} requests)");
                    }
                }
                Assert.Fail("the attacking runs did not all reach their client's model within 20 s: " + string.Join("; ", states));
            }
            foreach (var (client, _, runs) in attackers)
            {
                foreach (var runId in runs)
                {
                    Assert.Equal("running", (await client.CallOkAsync("tot_run_status", new { runId })).Str("state"));
                }
            }

            await using var victim = await host.ConnectAsync("victim-" + Guid.NewGuid().ToString("N")[..6]);
            var clock = Stopwatch.StartNew();
            var result = await victim.CallOkAsync("tot_solve", new { task = "4 9 10 13", domain = "game24", timeBudgetSeconds = 5 });
            clock.Stop();

            Assert.Equal("completed", result.Str("state"));
            Assert.True(result.GetProperty("solved").GetBoolean(), result.ToString());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the victim's run took {clock.Elapsed} against a 5 s budget");
            TestContext.Current.TestOutputHelper?.WriteLine($"victim's game24 run answered in {clock.Elapsed.TotalMilliseconds:0} ms with 4 unanswered sampling runs live");
        }
        finally
        {
            foreach (var (client, _, runs) in attackers)
            {
                foreach (var runId in runs)
                {
                    await client.CallAsync("tot_cancel_run", new { runId });
                }
                await client.DisposeAsync();
            }
        }
    }
}

/// <summary>A sampling request the client never answers fails its run with a readable error and frees the client's quota.</summary>
public sealed class SamplingTimeoutTests(SamplingTimeoutTests.ShortTimeoutHost host) : IClassFixture<SamplingTimeoutTests.ShortTimeoutHost>
{
    public sealed class ShortTimeoutHost : ToolsHost
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["TotService:Runs:SamplingTimeout"] = "00:00:01",
        };
    }

    [Fact]
    public async Task An_unanswered_sampling_request_fails_the_run_with_the_setting_named_and_frees_its_place()
    {
        var model = new SilentModel();
        await using var client = await host.ConnectAsync("silent-" + Guid.NewGuid().ToString("N")[..6], samplingModel: model);
        var runs = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            runs.Add((await client.CallOkAsync("tot_start_run", new { task = "Plan a trip", provider = "sampling", timeBudgetSeconds = 600 })).Str("runId"));
        }

        foreach (var runId in runs)
        {
            var status = await client.WaitForRunAsync(runId, TimeSpan.FromSeconds(20));
            Assert.Equal("failed", status.Str("state"));
            Assert.Contains("did not answer a sampling request within 1 s", status.Str("error"), StringComparison.Ordinal);
            Assert.Contains("TotService:Runs:SamplingTimeout", status.Str("error"), StringComparison.Ordinal);
        }
        Assert.True(model.Requests >= 2);
        await client.CallOkAsync("tot_start_run", new { task = "4 9 10 13", domain = "game24", provider = "domain" });
    }
}
