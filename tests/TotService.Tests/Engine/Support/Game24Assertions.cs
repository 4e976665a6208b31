using TotService.Engine.Search;

namespace TotService.Tests.Engine.Support;

/// <summary>What a solved Game of 24 run must show, checked with arithmetic independent of the engine's.</summary>
internal static class Game24Assertions
{
    public static void VerifiedSolution(int[] numbers, SearchResult result)
    {
        var puzzle = string.Join(' ', numbers);
        Assert.True(result.Solved, $"{puzzle}: not solved ({result.StopReason} {result.Error}); best path {string.Join(" -> ", result.BestPath.Skip(1).Select(n => n.Thought))}.");
        Assert.Equal(StopReason.SolutionFound, result.StopReason);
        Assert.Empty(result.Disagreements());
        Assert.NotNull(result.Answer);
        var (value, literals) = IndependentArithmetic.Evaluate(result.Answer.Split('=')[0]);
        Assert.True(IndependentArithmetic.IsTwentyFour(value), $"{puzzle}: '{result.Answer}' evaluates to {value}.");
        Assert.Equal(numbers.Order(), literals.Order());
    }
}
