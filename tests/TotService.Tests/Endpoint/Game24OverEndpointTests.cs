using System.Globalization;
using FakeOpenAi;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Endpoint;

/// <summary>
/// The paper's Game of 24 method through a real HTTP endpoint: a scripted model that is good on some puzzles and bad
/// on others, behind the fake OpenAI-compatible server, driving the engine's beam of five.
/// </summary>
public sealed class Game24OverEndpointTests : IAsyncLifetime
{
    private static readonly SearchSettings PaperSettings = new() { Strategy = SearchStrategy.Beam, Breadth = 5, MaxDepth = 4, MaxNodes = 2000 };

    private readonly EngineFixture fixture = new();
    private FakeOpenAiServer server = null!;

    public async ValueTask InitializeAsync() =>
        server = await FakeOpenAiServer.StartAsync(new FakeScript { Model = FakeEndpoint.Model() }, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        fixture.Dispose();
    }

    [Fact]
    public async Task On_puzzles_the_model_is_good_at_the_beam_keeps_the_five_best_valued_states_per_step_and_stops_at_a_verified_answer()
    {
        foreach (var numbers in FakeEndpoint.Good)
        {
            var result = await SolveAsync(numbers);

            var puzzle = string.Join(' ', numbers);
            Assert.True(result.Solved, $"{puzzle}: {result.StopReason} {result.Error}");
            Assert.Equal(StopReason.SolutionFound, result.StopReason);
            var (value, literals) = IndependentArithmetic.Evaluate(result.Answer!.Split('=')[0]);
            Assert.True(IndependentArithmetic.IsTwentyFour(value), result.Answer);
            Assert.Equal(numbers.Order(), literals.Order());
            Assert.Equal(3, result.BestPath[^1].Depth);
            Assert.EndsWith("(left: 24)", result.BestPath[^1].Thought, StringComparison.Ordinal);

            // A step that leaves one number ends its path: depth 3 holds answers (and misses), none cut by the beam.
            var nodes = result.Tree.Nodes;
            Assert.All(nodes.Where(n => n.Depth == 3), n => Assert.True(n.IsFinal && n.Status != NodeStatus.Pruned, n.Thought));
            for (var depth = 1; depth <= 2; depth++)
            {
                var level = nodes.Where(n => n.Depth == depth).ToList();
                var kept = level.Where(n => n.Status != NodeStatus.Pruned).ToList();
                var pruned = level.Where(n => n.Status == NodeStatus.Pruned).ToList();
                Assert.InRange(kept.Count, 1, 5);
                if (depth < 2)
                {
                    Assert.Equal(5, kept.Count(n => n.Status == NodeStatus.Expanded));
                    Assert.NotEmpty(pruned);
                }

                // A pruned state either lost on value or repeats a kept state (the beam keeps distinct states).
                var keptStates = kept.Select(k => k.StateKey).ToHashSet(StringComparer.Ordinal);
                Assert.All(pruned.Where(p => !keptStates.Contains(p.StateKey)),
                    p => Assert.True(p.Score <= kept.Min(k => k.Score), $"{puzzle}, depth {depth}: pruned {p.Thought} ({p.Score}) outscored a kept state"));
                Assert.Equal(kept.Count, keptStates.Count);
            }

            // The 3-sample sum: three "sure" verdicts are 60 of 60.
            Assert.Contains("sure, sure, sure: 60 of 60", result.BestPath[1].Rationale, StringComparison.Ordinal);
            Assert.True(result.Usage.PromptTokens > 0 && result.Usage.CompletionTokens > 0);
        }
    }

    [Fact]
    public async Task On_puzzles_the_model_is_bad_at_wrong_arithmetic_is_dropped_and_counted_and_nothing_is_solved()
    {
        foreach (var numbers in FakeEndpoint.Bad)
        {
            var result = await SolveAsync(numbers);

            Assert.False(result.Solved);
            Assert.Null(result.Error);
            Assert.True(result.Usage.MalformedOutputs >= 2, $"{result.Usage.MalformedOutputs} malformed outputs");
            var wrong = $"{numbers[0]} + {numbers[1]} = {numbers[0] + numbers[1] + 1}";
            Assert.Contains(server.Requests, r => r.Prompt.EndsWith("Input: " + string.Join(' ', numbers), StringComparison.Ordinal));
            Assert.DoesNotContain(result.Tree.Nodes, n => n.Thought.StartsWith(wrong, StringComparison.Ordinal));
            Assert.All(result.Tree.Nodes.Skip(1).Where(n => !n.IsFinal), AssertArithmeticHolds);
            Assert.StartsWith("No solution found", result.Answer, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_propose_reply_cut_off_by_max_tokens_keeps_its_whole_steps_and_counts_the_cut_one()
    {
        int[] numbers = [4, 9, 10, 13];
        server.Script.Rules.Add(new FakeRule("Input: 4 9 10 13$",
            "13 - 9 = 4 (left: 4 4 10)\n10 - 4 = 6 (left: 6 9 13)\n13 + 10 = 23 (left: 4 9 23)") { CutAfterTokens = 22, Times = 1 });

        var result = await SolveAsync(numbers);

        var firstSteps = result.Tree.Nodes.Where(n => n.Depth == 1).Select(n => n.Thought).ToList();
        Assert.Equal(2, firstSteps.Count);
        Assert.Contains(firstSteps, t => t.StartsWith("13 - 9 = 4", StringComparison.Ordinal));
        Assert.Contains(firstSteps, t => t.StartsWith("10 - 4 = 6", StringComparison.Ordinal));
        Assert.Equal(1, result.Usage.MalformedOutputs); // the cut reply; the scripted model's later replies are all legal
        Assert.True(result.Solved, $"{result.StopReason} {result.Error}"); // 4 4 10 still reaches 24
    }

    [Fact]
    public async Task Every_prompt_has_the_papers_shape()
    {
        await SolveAsync(FakeEndpoint.Good[0]);

        var prompts = server.Requests.Select(r => r.Prompt).ToList();
        Assert.Contains(prompts, p => p.EndsWith("Input: 4 9 10 13", StringComparison.Ordinal) && p.Contains("Possible next steps:", StringComparison.Ordinal));
        Assert.Contains(prompts, p => p.Contains("sure, likely or impossible", StringComparison.Ordinal));
        Assert.Contains(prompts, p => p.Contains("Steps:", StringComparison.Ordinal) && p.TrimEnd().EndsWith("(left: 24)", StringComparison.Ordinal));
        Assert.Contains(prompts, p => p.TrimEnd().EndsWith("Judge:", StringComparison.Ordinal));
        var valuePrompts = prompts.Where(p => p.Contains("sure, likely or impossible", StringComparison.Ordinal)).GroupBy(p => p).ToList();
        Assert.All(valuePrompts, g => Assert.Equal(0, g.Count() % 3));
    }

    private async Task<SearchResult> SolveAsync(int[] numbers)
    {
        using var client = FakeEndpoint.Client(server);
        var providers = LlmThoughtProviders.Create(client, "endpoint", fixture.Metrics, domain: "game24");
        return await fixture.Engine.RunAsync(new ThoughtProblem(string.Join(' ', numbers)), PaperSettings, providers,
            cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>The step "a op b = c (left: ...)" recomputed in doubles, and its left list equal to the state's terms.</summary>
    private static void AssertArithmeticHolds(ThoughtNode node)
    {
        var parts = node.Thought.Split(' ');
        double Number(string text) => text.Split('/') is [var n, var d]
            ? double.Parse(n, CultureInfo.InvariantCulture) / double.Parse(d, CultureInfo.InvariantCulture)
            : double.Parse(text, CultureInfo.InvariantCulture);
        var (a, op, b, c) = (Number(parts[0]), parts[1], Number(parts[2]), Number(parts[4]));
        var expected = op switch { "+" => a + b, "-" => a - b, "*" => a * b, _ => a / b };
        Assert.True(Math.Abs(expected - c) < 1e-9, $"{node.Thought} is wrong arithmetic");
        var state = Game24State.Parse(node.State).Terms.Select(t => IndependentArithmetic.Evaluate(t.Expression).Value).Order().ToList();
        var left = node.Thought[(node.Thought.IndexOf("left: ", StringComparison.Ordinal) + 6)..^1].Split(' ').Select(Number).Order().ToList();
        Assert.Equal(state.Count, left.Count);
        Assert.All(state.Zip(left), pair => Assert.True(Math.Abs(pair.First - pair.Second) < 1e-9, node.Thought));
    }
}
