using System.Text.Json.Nodes;
using TotService.Tests.Infrastructure;

namespace TotService.Tests.Tools;

/// <summary>
/// A run started with tot_start_run outlives the call, so its sampling requests travel on the session's GET event
/// stream, which a client opens in the background after initialize. Spoken over plain HTTP to control when it opens.
/// </summary>
public sealed class SamplingEventStreamTests(ToolsHost host) : IClassFixture<ToolsHost>
{
    [Fact]
    public async Task A_sampling_run_started_before_the_client_opens_its_event_stream_sends_its_request_there_once_it_opens()
    {
        var (session, token, runId) = await StartSamplingRunWithoutEventStreamAsync(host, "late-stream-");
        try
        {
            // The run's next request has found no stream by now; it must wait for one rather than fail the run.
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            Assert.Equal("running", await StateAsync(session, token, runId));

            using var stream = await session.OpenEventStreamAsync(token);
            var request = await FirstServerRequestAsync(stream, TimeSpan.FromSeconds(15));

            Assert.Equal("sampling/createMessage", request["method"]?.GetValue<string>());
            Assert.Contains("Plan a trip", request["params"]!.ToJsonString(), StringComparison.Ordinal);
            Assert.Equal("running", await StateAsync(session, token, runId));
        }
        finally
        {
            await session.ToolResultAsync(token, "tot_cancel_run", new { runId });
        }
    }

    [Fact]
    public async Task Tot_solve_needs_no_event_stream_its_sampling_requests_travel_on_its_own_response()
    {
        var token = host.Token("solve-no-stream-" + Guid.NewGuid().ToString("N")[..6]);
        var session = await RawMcpSession.OpenAsync(host.Host.Http, token, """{"sampling":{}}""");

        using var solve = await session.SendAsync(token,
            session.ToolCall("tot_solve", new { task = "Plan a trip", provider = "sampling", timeBudgetSeconds = 2 }),
            completion: HttpCompletionOption.ResponseHeadersRead);
        var request = await FirstServerRequestAsync(solve, TimeSpan.FromSeconds(15));

        Assert.Equal("sampling/createMessage", request["method"]?.GetValue<string>());
    }

    [Fact]
    public async Task A_client_that_answers_the_requests_on_tot_solves_own_response_gets_the_result_there()
    {
        var token = host.Token("solve-answered-" + Guid.NewGuid().ToString("N")[..6]);
        var session = await RawMcpSession.OpenAsync(host.Host.Http, token, """{"sampling":{}}""");

        var (result, answered) = await session.ToolResultAnsweringAsync(token, "tot_solve",
            new { task = "Plan a trip", provider = "sampling", breadth = 1, candidatesPerNode = 1, maxDepth = 1, timeBudgetSeconds = 30 }, _ => ModelReply);

        Assert.NotEmpty(answered);
        Assert.All(answered, request => Assert.Equal("sampling/createMessage", request["method"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(result["runId"]?.GetValue<string>()), result.ToJsonString());
    }

    /// <summary>
    /// A session that declares sampling and opens no event stream, and a sampling run it started. The run's first
    /// requests may still ride on tot_start_run's own response while it is open (the SDK sends a request made during a
    /// call there); they are answered, so what follows depends only on the event stream. The answers keep every step
    /// alive (new ideas, each scored 5 of 10) and the run may expand 2,000 nodes 10 deep: it cannot finish on that
    /// response however long a loaded machine keeps it open. (With one fixed reply, every value answer failed to parse,
    /// every step was pruned, and a run once completed there before the call returned.)
    /// </summary>
    internal static async Task<(RawMcpSession Session, string Token, string RunId)> StartSamplingRunWithoutEventStreamAsync(ToolsHost host, string subjectPrefix)
    {
        var token = host.Token(subjectPrefix + Guid.NewGuid().ToString("N")[..6]);
        var session = await RawMcpSession.OpenAsync(host.Host.Http, token, """{"sampling":{}}""");
        var ideas = 0;
        var (started, _) = await session.ToolResultAnsweringAsync(token, "tot_start_run",
            new { task = "Plan a trip", provider = "sampling", strategy = "best-first", maxDepth = 10, maxNodes = 2000, timeBudgetSeconds = 600 },
            request => request["params"]!.ToJsonString().Contains("Propose", StringComparison.Ordinal)
                ? Reply($"1. Step {Interlocked.Increment(ref ideas)}\n2. Step {Interlocked.Increment(ref ideas)}")
                : Reply("Score: 5"));
        return (session, token, started["runId"]!.GetValue<string>());
    }

    private static object Reply(string text) => new { role = "assistant", model = "scripted", content = new { type = "text", text } };

    /// <summary>A sampling result: one proposed step, as the client's model would write it.</summary>
    private static readonly object ModelReply = Reply("1. Book the flights");

    private static async Task<string> StateAsync(RawMcpSession session, string token, string runId) =>
        (await session.ToolResultAsync(token, "tot_run_status", new { runId }))["state"]!.GetValue<string>();

    /// <summary>The first JSON-RPC request the server sends on an event stream, bounded.</summary>
    private static async Task<JsonObject> FirstServerRequestAsync(HttpResponseMessage stream, TimeSpan timeout)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(deadline.Token));
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("data:", StringComparison.Ordinal) && line.Length > "data:".Length
                && JsonNode.Parse(line["data:".Length..]) is JsonObject message && message["method"] is not null && message["id"] is not null)
            {
                return message;
            }
        }
        throw new Xunit.Sdk.XunitException("the event stream ended without a request from the server");
    }
}

/// <summary>A client that declares sampling but never opens its event stream gets a run that fails saying so.</summary>
public sealed class SamplingWithoutEventStreamTests(SamplingTimeoutTests.ShortTimeoutHost host) : IClassFixture<SamplingTimeoutTests.ShortTimeoutHost>
{
    [Fact]
    public async Task A_sampling_run_whose_client_never_opens_its_event_stream_fails_after_the_sampling_timeout_naming_the_stream()
    {
        var (session, token, runId) = await SamplingEventStreamTests.StartSamplingRunWithoutEventStreamAsync(host, "no-stream-");

        var status = await Eventually.UntilAsync(
            _ => session.ToolResultAsync(token, "tot_run_status", new { runId }),
            read => read["state"]!.GetValue<string>() is not ("queued" or "running"), TimeSpan.FromSeconds(20), "the run to end",
            read => read.ToJsonString(), TimeSpan.FromMilliseconds(100), TestContext.Current.CancellationToken);

        Assert.Equal("failed", status["state"]!.GetValue<string>());
        Assert.Equal("The client did not open its event stream (GET on the MCP endpoint) within 1 s (TotService:Runs:SamplingTimeout); " +
            "a run started with tot_start_run sends its sampling requests there, so the run stopped.", status["error"]!.GetValue<string>());
    }
}
