using System.Diagnostics;
using System.Globalization;
using FakeOpenAi;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Providers.Llm;
using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Tests.Endpoint;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Domains;

/// <summary>
/// The paper's Game of 24 method with a model: a path whose every step was recomputed exactly and that leaves only 24
/// is a solution with its own expression, whatever answer line the model writes for it.
/// </summary>
public sealed class Game24ModelSolutionTests(ITestOutputHelper output)
{
    private static readonly SearchSettings PaperSettings = new() { Strategy = SearchStrategy.Beam, Breadth = 5, MaxDepth = 4, MaxNodes = 2000 };

    private static CancellationToken TestToken => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_paths_to_24_with_a_wrong_answer_line_solve_with_a_verified_expression()
    {
        // Three depth-3 steps reach 24 (12 + 12, 36 - 12, 3 * 8), every state is valued "sure", and the answer line the
        // model writes, (2 + 4) + (6 + 6), is 18 and uses 6 twice.
        var model = new ReplyTable(answerLine: "Answer: (2 + 4) + (6 + 6) = 24")
        {
            ["2 4 6 12"] = "2 + 4 = 6 (left: 6 6 12)\n6 / 2 = 3 (left: 4 12 3)",
            ["6 6 12"] = "6 + 6 = 12 (left: 12 12)\n6 * 6 = 36 (left: 12 36)",
            ["3 4 12"] = "12 - 4 = 8 (left: 3 8)",
            ["12 12"] = "12 + 12 = 24 (left: 24)",
            ["12 36"] = "36 - 12 = 24 (left: 24)",
            ["3 8"] = "3 * 8 = 24 (left: 24)",
        };

        var result = await SolveAsync("2 4 6 12", model, TestToken);

        Game24Assertions.VerifiedSolution([2, 4, 6, 12], result);
        var goal = result.BestPath[^1];
        Assert.Equal(3, goal.Depth);
        Assert.EndsWith("= 24 (left: 24)", goal.Thought, StringComparison.Ordinal);
        Assert.Contains("the model's answer line (2 + 4) + (6 + 6) does not verify", goal.Rationale, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Tree.Nodes, n => n.State.Split(", ").Length == 1 && n.Status is NodeStatus.Pruned or NodeStatus.DeadEnd);
        Assert.Equal(1, result.Usage.MalformedOutputs);
    }

    [Fact]
    public async Task A_wrong_answer_line_on_a_verified_path_still_solves()
    {
        int[] numbers = [4, 9, 10, 13];
        var model = new Game24FakeModel([numbers], [], [], wrongSearchAnswers: [numbers]);

        var result = await SolveAsync("4 9 10 13", model, TestToken);

        Game24Assertions.VerifiedSolution(numbers, result);
        Assert.True(Game24Verifier.Verify(Game24Puzzle.Parse("4 9 10 13"), result.Answer!).IsValid, result.Answer);
        Assert.Contains("does not verify", result.BestPath[^1].Rationale, StringComparison.Ordinal);
        Assert.All(result.Tree.Nodes.Where(n => n.Status == NodeStatus.Solution), n => Assert.Equal(1.0, n.Score));
    }

    [Fact]
    public async Task A_model_that_proposes_every_step_in_any_order_and_values_exactly_solves_every_solvable_puzzle_of_the_file()
    {
        var puzzles = Game24Data.Load();
        var clock = Stopwatch.StartNew();
        var outcomes = new (int[] Numbers, SearchResult Result)[puzzles.Count];
        await Parallel.ForAsync(0, puzzles.Count, new ParallelOptions { CancellationToken = TestToken }, async (i, token) =>
        {
            var numbers = puzzles[i].Numbers;
            outcomes[i] = (numbers, await SolveAsync(string.Join(' ', numbers), new ExactGame24Model(seed: puzzles[i].Rank), token));
        });
        clock.Stop();

        // Every puzzle of the file has a solution (independent brute force), so every one must be solved.
        var solvable = outcomes.Count(o => IndependentArithmetic.IsSolvable(o.Numbers.Select(n => (double)n).ToList()));
        Assert.Equal(1362, solvable);
        Assert.All(outcomes, o => Game24Assertions.VerifiedSolution(o.Numbers, o.Result));

        output.WriteLine($"{puzzles.Count} puzzles, {solvable} solvable, all solved in {clock.Elapsed.TotalSeconds:0.0} s; " +
            $"model calls per puzzle: mean {outcomes.Average(o => o.Result.Usage.ModelCalls):0.0}.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task The_order_the_steps_are_proposed_in_does_not_matter(int seed)
    {
        foreach (var (rank, numbers) in Game24Data.Load().Where(p => p.Rank is >= 901 and <= 1000))
        {
            var result = await SolveAsync(string.Join(' ', numbers), new ExactGame24Model(seed * 100_000 + rank), TestToken);

            Game24Assertions.VerifiedSolution(numbers, result);
        }
    }

    private static async Task<SearchResult> SolveAsync(string puzzle, IFakeModel model, CancellationToken cancellationToken)
    {
        using var fixture = new EngineFixture();
        using var chat = new FakeModelChatClient(model);
        var providers = LlmThoughtProviders.Create(chat, "endpoint", fixture.Metrics, domain: "game24");
        return await fixture.Engine.RunAsync(new ThoughtProblem(puzzle), PaperSettings, providers,
            cancellationToken: cancellationToken);
    }

    /// <summary>Propose replies by the numbers left (sorted), "sure" for every value, one answer line, "sure" as the judgement.</summary>
    private sealed class ReplyTable(string answerLine) : IFakeModel
    {
        private readonly Dictionary<string, string> proposals = new(StringComparer.Ordinal);

        public string this[string numbersLeft]
        {
            set => proposals[Sorted(numbersLeft)] = value;
        }

        public string? Reply(string prompt, int sample)
        {
            var lines = prompt.TrimEnd().Split('\n');
            return lines[^1].StartsWith("Judge:", StringComparison.Ordinal) ? "sure"
                : prompt.Contains("Possible next steps:", StringComparison.Ordinal) ? proposals.GetValueOrDefault(Sorted(lines[^1]["Input:".Length..]), "")
                : prompt.Contains("sure, likely or impossible", StringComparison.Ordinal) ? "sure"
                : answerLine;
        }

        private static string Sorted(string numbers) =>
            string.Join(' ', numbers.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(n => int.Parse(n, CultureInfo.InvariantCulture)).Order());
    }
}
