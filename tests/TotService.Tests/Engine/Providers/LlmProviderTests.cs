using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Providers;

public sealed class LlmProviderTests
{
    private static CancellationToken TestToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Full_run_tolerates_and_counts_malformed_replies()
    {
        using var fixture = new EngineFixture();
        var chat = new ScriptedChatClient();
        chat.Proposals["(none yet)"] = "Here are some ideas:\n1. Pick a city\n2. Set a budget\n3. Book flights";
        chat.Proposals["Pick a city"] = "Sorry, I would rather chat about the weather.";
        chat.Proposals["Set a budget"] = "1) Find hotels\n2) Answer: Rome for 1000 euros";
        chat.Values["Pick a city"] = "Verdict: sure";
        chat.Values["Set a budget"] = "Score: 8";
        chat.Values["Book flights"] = "Hmm, hard to say.";
        chat.Values["Find hotels"] = "Verdict: likely";
        chat.Values["Answer: Rome for 1000 euros"] = "Score: 9.5";
        var providers = LlmThoughtProviders.Create(chat, "endpoint", fixture.Metrics);
        var settings = new SearchSettings { Breadth = 2, CandidatesPerNode = 3, MaxDepth = 3, ScoreThreshold = 0.9 };

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("Plan a trip", "Europe only"), settings, providers, cancellationToken: TestToken);

        Assert.Equal(StopReason.SolutionFound, result.StopReason);
        Assert.Equal("Rome for 1000 euros", result.Answer);
        Assert.Equal(2, result.Usage.MalformedOutputs);
        Assert.Equal(8, result.Usage.ModelCalls);
        Assert.Equal(NodeStatus.DeadEnd, result.Tree.Nodes.Single(n => n.Thought == "Pick a city").Status);
        Assert.Equal(LlmStateEvaluator.MalformedScore, result.Tree.Nodes.Single(n => n.Thought == "Book flights").Score);
        Assert.Equal(2, fixture.Recorder.Sum("tot.engine.llm.malformed_outputs"));
        Assert.Equal(1, fixture.Recorder.Sum("tot.engine.llm.malformed_outputs", "tot.operation", "propose"));
        Assert.Equal(8, fixture.Recorder.Sum("tot.engine.llm.calls", "tot.provider", "endpoint"));
        Assert.Contains(chat.Prompts, p => p.Contains("Constraints: Europe only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_final_answer_the_model_writes_one_from_the_best_path()
    {
        using var fixture = new EngineFixture();
        var chat = new ScriptedChatClient { FinalAnswer = "Visit Lisbon in May." };
        chat.Proposals["(none yet)"] = "1. Lisbon\n2. Oslo";
        chat.Values["Lisbon"] = "Score: 7";
        chat.Values["Oslo"] = "Score: 42";
        var providers = LlmThoughtProviders.Create(chat, "sampling", fixture.Metrics);

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("Where to go?"), new SearchSettings { MaxDepth = 1 }, providers, cancellationToken: TestToken);

        Assert.Equal(StopReason.MaxDepth, result.StopReason);
        Assert.Equal("Visit Lisbon in May.", result.Answer);
        Assert.Equal(0.7, result.BestScore);
        Assert.Equal(1, result.Usage.MalformedOutputs);
        Assert.Equal(4, result.Usage.ModelCalls);
    }

    [Fact]
    public async Task Concurrent_model_calls_of_a_run_are_bounded()
    {
        using var fixture = new EngineFixture();
        var chat = new ScriptedChatClient { Latency = TimeSpan.FromMilliseconds(20) };
        chat.Proposals["(none yet)"] = "1. a\n2. b\n3. c\n4. d\n5. e";
        foreach (var step in new[] { "a", "b", "c", "d", "e" })
        {
            chat.Values[step] = "Score: 5";
        }

        var providers = LlmThoughtProviders.Create(chat, "sampling", fixture.Metrics, maxConcurrentCalls: 2);
        var result = await fixture.Engine.RunAsync(new ThoughtProblem("t"), new SearchSettings { MaxDepth = 1 }, providers, cancellationToken: TestToken);

        Assert.Equal(5, result.NodeCount);
        Assert.Equal(2, chat.MaxInFlight);
    }

    [Theory]
    [InlineData("Verdict: sure", 1.0)]
    [InlineData("likely, but then... Verdict: impossible", 0.0)]
    [InlineData("Score: 7", 0.7)]
    [InlineData("score=10", 1.0)]
    [InlineData("Score: 11", null)]
    [InlineData("no idea", null)]
    [InlineData("", null)]
    public void Values_are_read_from_verdicts_or_scores(string reply, double? expected) =>
        Assert.Equal(expected, LlmReplyParser.ParseValue(reply));

    [Fact]
    public void Steps_are_read_from_numbered_or_bulleted_lines_only()
    {
        var steps = LlmReplyParser.ParseSteps("Sure! Here you go:\r\n1. First\r\n2) Second\n- Third\n3. first\nTrailing remark", maxSteps: 5);

        Assert.Equal(["First", "Second", "Third"], steps);
        Assert.Single(LlmReplyParser.ParseSteps("1. a\n2. b", maxSteps: 1));
    }
}
