using TotService.Tests.Engine.Support;

namespace TotService.Tests.Tools;

/// <summary>
/// The LLM path over real MCP sampling: the server asks the calling client's model (a scripted one behind the SDK's
/// sampling handler) to propose, value and finalize, through the client's own session.
/// </summary>
public sealed class SamplingRunTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    private static ScriptedChatClient TripPlanner() => new()
    {
        Proposals =
        {
            ["(none yet)"] = "Some ideas:\n1. Pick a city\n2. Set a budget",
            ["Pick a city"] = "Sorry, I would rather talk about the weather.", // malformed: no numbered steps
            ["Set a budget"] = "1. Answer: Rome for 1000 euros",
        },
        Values =
        {
            ["Pick a city"] = "Score: 8", // expanded first, proposes nothing readable: a dead end
            ["Set a budget"] = "Hmm, hard to say.", // malformed verdict: scored 0.5, still explored
            ["Answer: Rome for 1000 euros"] = "Verdict: sure",
        },
    };

    [Fact]
    public async Task Solve_with_auto_provider_uses_the_clients_model_through_sampling()
    {
        var model = TripPlanner();
        await using var client = await host.ConnectAsync("sampler-" + Guid.NewGuid().ToString("N")[..6], samplingModel: model);

        var result = await client.CallOkAsync("tot_solve", new { task = "Plan a weekend trip", strategy = "best-first", maxDepth = 3, timeBudgetSeconds = 30 });

        Assert.Equal("completed", result.Str("state"));
        Assert.True(result.GetProperty("solved").GetBoolean());
        Assert.Equal("Rome for 1000 euros", result.Str("answer"));
        Assert.Equal(["Plan a weekend trip", "Set a budget", "Answer: Rome for 1000 euros"],
            result.GetProperty("bestPath").EnumerateArray().Select(s => s.Str("thought")).ToArray());
        var metrics = result.GetProperty("metrics");
        Assert.True(metrics.GetProperty("modelCalls").GetInt32() >= 5);
        Assert.Equal(2, metrics.GetProperty("malformedOutputs").GetInt32());
        Assert.Contains(model.Prompts, p => p.Contains("Propose", StringComparison.Ordinal));
        Assert.Contains(model.Prompts, p => p.Contains("Judge", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Solve_streams_progress_notifications_while_the_search_runs()
    {
        var model = TripPlanner();
        model.Latency = TimeSpan.FromMilliseconds(150); // each expansion takes longer than the 200 ms throttle needs
        await using var client = await host.ConnectAsync("progress-" + Guid.NewGuid().ToString("N")[..6], samplingModel: model);
        var notifications = new List<(ModelContextProtocol.ProgressNotificationValue Value, DateTime At)>();
        var progress = new Progress(value =>
        {
            lock (notifications)
            {
                notifications.Add((value, DateTime.UtcNow));
            }
        });

        var result = await client.CallOkAsync("tot_solve", new { task = "Plan a weekend trip", strategy = "best-first", maxDepth = 3, timeBudgetSeconds = 30 }, progress);
        var answered = DateTime.UtcNow;

        Assert.True(result.GetProperty("solved").GetBoolean());
        lock (notifications)
        {
            var during = notifications.Where(n => n.Value.Message?.StartsWith("completed", StringComparison.Ordinal) != true).ToList();
            Assert.NotEmpty(during);
            Assert.True(during[0].At < answered - TimeSpan.FromMilliseconds(100), "progress arrived while the search was still running");
            Assert.Contains("expanded", during[0].Value.Message, StringComparison.Ordinal);
        }
    }

    private sealed class Progress(Action<ModelContextProtocol.ProgressNotificationValue> report) : IProgress<ModelContextProtocol.ProgressNotificationValue>
    {
        public void Report(ModelContextProtocol.ProgressNotificationValue value) => report(value);
    }

    [Fact]
    public async Task A_background_run_keeps_sampling_after_the_start_call_has_returned()
    {
        var model = TripPlanner();
        model.Latency = TimeSpan.FromMilliseconds(50); // the start call returns long before the first reply
        await using var client = await host.ConnectAsync("bg-sampler-" + Guid.NewGuid().ToString("N")[..6], samplingModel: model);

        var started = await client.CallOkAsync("tot_start_run", new { task = "Plan a weekend trip", provider = "sampling", maxDepth = 3, timeBudgetSeconds = 30 });
        Assert.Equal("sampling", started.Str("provider"));

        var status = await client.WaitForRunAsync(started.Str("runId"));
        Assert.True(status.Str("state") == "completed", status.ToString());
        var result = await client.CallOkAsync("tot_run_result", new { runId = started.Str("runId") });
        Assert.Equal("Rome for 1000 euros", result.Str("answer"));
    }

    [Fact]
    public async Task A_sampling_request_the_client_fails_ends_the_run_with_our_words_not_the_clients_exception()
    {
        var model = TripPlanner();
        model.Failure = new InvalidOperationException("client-side detail: /home/alice/secrets.txt");
        await using var client = await host.ConnectAsync("failing-sampler-" + Guid.NewGuid().ToString("N")[..6], samplingModel: model);

        var started = await client.CallOkAsync("tot_start_run", new { task = "Plan a weekend trip", provider = "sampling", maxDepth = 3, timeBudgetSeconds = 30 });
        var status = await client.WaitForRunAsync(started.Str("runId"));

        Assert.Equal("failed", status.Str("state"));
        Assert.Equal("The model's propose request failed (sampling); the server log has the detail.", status.Str("error"));
    }

    [Fact]
    public async Task Sampling_is_refused_with_a_clear_error_when_the_client_has_no_sampling_capability()
    {
        await using var client = await host.ConnectAsync("no-sampling-" + Guid.NewGuid().ToString("N")[..6]);

        var message = await client.CallErrorAsync("tot_start_run", new { task = "Plan a weekend trip", provider = "sampling" });

        Assert.Contains("declares the sampling capability", message, StringComparison.Ordinal);
    }
}
