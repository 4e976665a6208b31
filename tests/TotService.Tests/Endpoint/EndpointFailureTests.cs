using System.Net.Http.Json;
using System.Text.Json;
using FakeOpenAi;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Endpoint;

/// <summary>
/// The endpoint provider over HTTP when the endpoint misbehaves: every fault ends as a readable run error or a
/// counted malformed output, never an exception out of the engine.
/// </summary>
public sealed class EndpointFailureTests : IDisposable
{
    private static readonly SearchSettings Settings = new() { Strategy = SearchStrategy.BestFirst, MaxDepth = 2, MaxNodes = 20 };

    private readonly EngineFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    [Fact]
    public async Task The_fake_server_answers_n_choices_with_usage_counts()
    {
        await using var server = await ServeAsync(new FakeRule("colour", "red", "green blue"));
        using var http = new HttpClient();

        var response = await http.PostAsJsonAsync(new Uri(server.BaseUrl, "chat/completions"), new
        {
            model = "m",
            n = 3,
            messages = new[] { new { role = "user", content = "name a colour" } },
        }, TestContext.Current.CancellationToken);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(["red", "green blue", "red"], body.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("message").GetProperty("content").GetString()!).ToArray());
        Assert.Equal(3, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Server_errors_end_the_run_with_a_readable_error_after_the_configured_retries()
    {
        await using var server = await ServeAsync(new FakeRule(".") { Fault = FakeFault.ServerError });
        var retries = new EndpointRetries();

        var result = await RunAsync(server, maxRetries: 2, retries: retries);

        Assert.Equal(StopReason.ProviderFailed, result.StopReason);
        Assert.Contains("propose request failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("HTTP 500", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("scripted server", result.Error, StringComparison.Ordinal); // the endpoint's own words stay in the log
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(2, retries.Count);
    }

    [Fact]
    public async Task A_transient_server_error_is_retried_and_the_run_goes_on()
    {
        await using var server = await ServeAsync(new FakeRule(".") { Fault = FakeFault.ServerError, Times = 1 }, new FakeRule("Propose", "1. Answer: 42"), new FakeRule("Judge", "Verdict: sure"));

        var result = await RunAsync(server, maxRetries: 1);

        Assert.True(result.Solved, result.Error);
        Assert.Equal("42", result.Answer);
        Assert.Equal(result.Usage.ModelCalls + 1, server.Requests.Count);
    }

    [Fact]
    public async Task A_slow_endpoint_times_out_with_a_readable_error_instead_of_hanging()
    {
        await using var server = await ServeAsync(new FakeRule(".", "1. too late") { Delay = TimeSpan.FromSeconds(20) });

        var result = await RunAsync(server, timeoutSeconds: 0.5).WaitAsync(TimeSpan.FromSeconds(15), TestContext.Current.CancellationToken);

        Assert.Equal(StopReason.ProviderFailed, result.StopReason);
        Assert.Equal("The model did not answer the propose request in time (endpoint).", result.Error);
    }

    [Fact]
    public async Task A_reply_that_is_not_json_is_a_readable_error()
    {
        await using var server = await ServeAsync(new FakeRule(".") { Fault = FakeFault.MalformedJson });

        var result = await RunAsync(server);

        Assert.Equal(StopReason.ProviderFailed, result.StopReason);
        Assert.StartsWith("The model's propose request failed (endpoint)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_choices_end_the_run_with_a_readable_error()
    {
        await using var server = await ServeAsync(new FakeRule(".") { Fault = FakeFault.EmptyChoices });

        var result = await RunAsync(server);

        // The endpoint client cannot make a reply of no choices, so the call fails (not retried: the answer was 200).
        Assert.False(result.Solved);
        Assert.Equal(StopReason.ProviderFailed, result.StopReason);
        Assert.Equal("The model's propose request failed (endpoint); the server log has the detail.", result.Error);
        Assert.Equal((1, 0), (result.Usage.ModelCalls, result.Usage.MalformedOutputs));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_reply_cut_off_by_max_tokens_is_counted_and_its_unfinished_line_dropped()
    {
        await using var server = await ServeAsync(new FakeRule("Propose", "1. Book a table\n2. Answer: a picnic in the park with friends") { CutAfterTokens = 6 }, new FakeRule("Judge", "Verdict: likely"));

        var result = await RunAsync(server);

        Assert.False(result.Solved);
        Assert.Null(result.Error);
        Assert.True(result.Usage.MalformedOutputs >= 1);
        Assert.Contains(result.Tree.Nodes, n => n.Thought == "Book a table");
        Assert.DoesNotContain(result.Tree.Nodes, n => n.Thought.StartsWith("Answer:", StringComparison.Ordinal));
    }

    private static async Task<FakeOpenAiServer> ServeAsync(params FakeRule[] rules)
    {
        var script = new FakeScript();
        script.Rules.AddRange(rules);
        return await FakeOpenAiServer.StartAsync(script, TestContext.Current.CancellationToken);
    }

    private async Task<SearchResult> RunAsync(FakeOpenAiServer server, double timeoutSeconds = 10, int maxRetries = 0, EndpointRetries? retries = null)
    {
        using var client = FakeEndpoint.Client(server, timeoutSeconds, maxRetries, retries);
        var providers = LlmThoughtProviders.Create(client, "endpoint", fixture.Metrics);
        return await fixture.Engine.RunAsync(new ThoughtProblem("Plan a dinner"), Settings, providers, cancellationToken: TestContext.Current.CancellationToken);
    }
}
