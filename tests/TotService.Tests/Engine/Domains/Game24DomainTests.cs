using TotService.Engine.Domains;
using TotService.Engine.Domains.Game24;
using TotService.Engine.Search;
using TotService.Engine.Tree;
using TotService.Tests.Engine.Support;

namespace TotService.Tests.Engine.Domains;

public sealed class Game24DomainTests
{
    [Fact]
    public void Fractions_are_exact_and_canonical()
    {
        var third = Fraction.Of(1, 3);

        Assert.Equal((Fraction)1, third * 3);
        Assert.Equal(Fraction.Of(-2, 4), Fraction.Of(1, -2));
        Assert.Equal("-1/2", Fraction.Of(2, -4).ToString());
        Assert.Equal((Fraction)24, (Fraction)8 / ((Fraction)3 - ((Fraction)8 / 3)));
        Assert.True(Fraction.Of(1, 3) < Fraction.Of(1, 2));
        Assert.Equal("0", default(Fraction).ToString());
        Assert.Throws<DivideByZeroException>(() => third / default(Fraction));
    }

    [Theory]
    [InlineData("(10 - 4) * (13 - 9)", "24")]
    [InlineData("8 / (3 - 8 / 3)", "24")]
    [InlineData("1 + 2 * 3", "7")]
    [InlineData("(1 + 2) * 3", "9")]
    [InlineData("7 - 2 - 1", "4")]
    [InlineData("12 / 3 / 2", "2")]
    [InlineData("6 × 4 ÷ 1", "24")]
    public void Parser_evaluates_exactly_with_precedence_and_left_associativity(string expression, string expected) =>
        Assert.Equal(expected, ArithmeticExpressionParser.Parse(expression).Value.ToString());

    [Theory]
    [InlineData("(1 + 2")]
    [InlineData("1 +")]
    [InlineData("-1 + 25")]
    [InlineData("4 / (2 - 2)")]
    [InlineData("2 ^ 3")]
    public void Parser_rejects_malformed_expressions(string expression) =>
        Assert.Throws<FormatException>(() => ArithmeticExpressionParser.Parse(expression));

    [Theory]
    [InlineData("(10 - 4) * (13 - 9)", true, "= 24")]
    [InlineData("(10 - 4) * (13 - 9) = 24", true, "= 24")]
    [InlineData("(10 - 4) * (13 - 9) + 0", false, "exactly once")]
    [InlineData("(10 + 4) * (13 - 9)", false, "not 24")]
    [InlineData("4 * 6", false, "exactly once")]
    [InlineData("(10 - 4) * (13 - 9", false, "missing ')'")]
    public void Verifier_checks_numbers_and_value(string expression, bool valid, string message)
    {
        var verification = Game24Verifier.Verify(Game24Puzzle.Parse("4 9 10 13"), expression);

        Assert.Equal(valid, verification.IsValid);
        Assert.Contains(message, verification.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4 9 10 13", true)]
    [InlineData("3 3 8 8", true)]
    [InlineData("1 1 1 1", false)]
    [InlineData("1 2 4 7", true)]
    public void Solver_decides_reachability_exactly(string puzzle, bool reachable) =>
        Assert.Equal(reachable, new Game24Solver().CanReach24(Game24Puzzle.Parse(puzzle).Numbers.Select(n => (Fraction)n).ToList()));

    [Fact]
    public async Task Generator_proposes_every_distinct_legal_step()
    {
        var generator = new Game24ThoughtGenerator();
        var problem = new ThoughtProblem("2 3");
        var root = new ThoughtTree(problem.Task, null, generator.InitialState(problem)).Root;

        var candidates = await generator.ProposeAsync(problem, [root], 1, TestContext.Current.CancellationToken);

        // 2+3, 2*3, 2-3, 3-2, 2/3, 3/2: all distinct values, all final.
        Assert.Equal(["5", "6", "-1", "1", "2/3", "3/2"], candidates.Select(c => c.StateKey));
        Assert.All(candidates, c => Assert.True(c.IsFinal));
        Assert.Equal("2 + 3 = 5 (left: 5)", candidates[0].Thought);
    }

    [Theory]
    [InlineData("4 9 10 13", true, "")]
    [InlineData("4, 9, 10, 13", true, "")]
    [InlineData("4", false, "got 1 numbers")]
    [InlineData("1 2 3 4 5 6 7", false, "got 7 numbers")]
    [InlineData("4 nine 10 13", false, "'nine' is not allowed")]
    [InlineData("4 -9 10 13", false, "'-9' is not allowed")]
    public void Puzzles_are_validated_with_the_format_in_the_message(string text, bool valid, string message)
    {
        var errors = ThoughtDomains.ValidateTask(ThoughtDomains.Game24, new ThoughtProblem(text));

        Assert.Equal(valid, errors.Count == 0);
        Assert.All(errors, e => Assert.Contains(message, e, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Contains("2 to 6 whole numbers", e, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SearchStrategy.Beam)]
    [InlineData(SearchStrategy.BestFirst)]
    [InlineData(SearchStrategy.DepthFirst)]
    public async Task Every_strategy_solves_a_puzzle_and_finalizes_a_verified_expression(SearchStrategy strategy)
    {
        using var fixture = new EngineFixture();

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("4 9 10 13"), new SearchSettings { Strategy = strategy, MaxDepth = 3 },
            Game24Providers.Create(new Game24Solver()), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(StopReason.SolutionFound, result.StopReason);
        Assert.True(Game24Verifier.Verify(Game24Puzzle.Parse("4 9 10 13"), result.Answer!).IsValid, result.Answer);
        Assert.EndsWith("= 24", result.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsolvable_puzzle_ends_without_a_claimed_solution()
    {
        using var fixture = new EngineFixture();

        var result = await fixture.Engine.RunAsync(new ThoughtProblem("1 1 1 1"), new SearchSettings { MaxDepth = 3 },
            Game24Providers.Create(new Game24Solver()), cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(result.Solved);
        Assert.Equal(StopReason.FrontierExhausted, result.StopReason);
        Assert.StartsWith("No solution found", result.Answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Engine_refuses_a_task_that_is_not_a_puzzle()
    {
        using var fixture = new EngineFixture();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Engine.RunAsync(new ThoughtProblem("make 24 from four numbers"),
            new SearchSettings(), Game24Providers.Create(new Game24Solver()), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("2 to 6 whole numbers", error.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Recorder.Measurements);
    }
}
