using TotService.Engine.Domains.Game24;
using TotService.Engine.Domains.Game24.Llm;

namespace TotService.Tests.Engine.Domains;

/// <summary>Model replies read leniently, trusted never: every step is recomputed on the numbers actually left.</summary>
public sealed class Game24ReplyParserTests
{
    private static readonly Game24State FourNineTenThirteen = Game24State.FromPuzzle(Game24Puzzle.Parse("4 9 10 13"));

    [Theory]
    [InlineData("10 - 4 = 6 (left: 6 9 13)", "4 - 10")]
    [InlineData("1. 10 − 4 = 6 (left: 6 9 13)", "unicode minus and a list marker")]
    [InlineData("Sure! First, 13 – 9 = 4, which leaves 4 4 10.", "en dash and chatter")]
    [InlineData("- 4 × 9 = 36 (left: 10 13 36)", "times sign")]
    [InlineData("4 x 9 = 36", "letter x")]
    [InlineData("10 ÷ 4 = 2.5 (left: 2.5 9 13)", "division sign and a decimal")]
    [InlineData("**10 / 4 = 5/2** (left: 5/2 9 13)", "a fraction and markdown")]
    [InlineData("9 / 13 = 0.69 (left: 0.69 4 10)", "a decimal rounded as written")]
    public void Lenient_steps_are_read(string line, string because)
    {
        var (steps, rejected) = Game24ReplyParser.ParseSteps(line, FourNineTenThirteen);

        Assert.True(steps.Count == 1, because);
        Assert.Equal(0, rejected);
        Assert.Equal(3, Game24State.Parse(steps[0].State).Terms.Count);
    }

    [Theory]
    [InlineData("4 + 9 = 14 (left: 10 13 14)", "wrong arithmetic")]
    [InlineData("9 / 13 = 0.6 (left: 0.6 4 10)", "a decimal that is not the value rounded")]
    [InlineData("4 * 6 = 24 (left: 9 10 13 24)", "6 is not left")]
    [InlineData("4 + 4 = 8", "4 is left once")]
    [InlineData("10 / 0 = 0", "division by zero")]
    public void Steps_the_arithmetic_refutes_are_rejected(string line, string because)
    {
        var (steps, rejected) = Game24ReplyParser.ParseSteps(line, FourNineTenThirteen);

        Assert.True(steps.Count == 0, because);
        Assert.Equal(1, rejected);
    }

    [Fact]
    public void The_new_state_is_exact_whatever_the_model_wrote()
    {
        var state = Game24State.FromPuzzle(Game24Puzzle.Parse("3 8 8"));

        var (steps, _) = Game24ReplyParser.ParseSteps("Possible next steps:\n8 / 3 = 2.67 (left: 2.67 8)\n8 / 3 = 2.667\nnot a step", state);

        var step = Assert.Single(steps);
        Assert.Equal("8 / 3 = 8/3 (left: 8 8/3)", step.Thought);
        Assert.Equal(Fraction.Of(8, 3), Game24State.Parse(step.State).Terms[^1].Value);
    }

    [Theory]
    [InlineData("3 3 9\nsure", "sure")]
    [InlineData("I think this is likely.\nLikely", "likely")]
    [InlineData("sure at first, but impossible", "impossible")]
    [InlineData("no idea", null)]
    public void Verdicts_are_the_last_one_named(string reply, string? verdict) =>
        Assert.Equal(verdict, Game24ReplyParser.ParseVerdict(reply));

    [Theory]
    [InlineData("Steps:\n4 + 8 = 12\nAnswer: (6 − 4) × (4 + 8) = 24", "(6 - 4) * (4 + 8)")]
    [InlineData("**Answer:** 4 * 6 = 24.", "4 * 6")]
    [InlineData("answer: 2 x 12", "2 * 12")]
    [InlineData("The result is 24", null)]
    public void Answers_are_read_in_ascii(string reply, string? expression) =>
        Assert.Equal(expression, Game24ReplyParser.ParseAnswer(reply));

    [Fact]
    public void Sampled_verdicts_are_weighted_as_the_paper_weights_them()
    {
        Assert.Equal(20, Game24ReplyParser.Weight("sure"));
        Assert.Equal(1, Game24ReplyParser.Weight("likely"));
        Assert.Equal(0.001, Game24ReplyParser.Weight("impossible"));
    }
}
