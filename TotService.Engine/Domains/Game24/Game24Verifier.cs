namespace TotService.Engine.Domains.Game24;

/// <summary>Checks a proposed answer: a well-formed expression using exactly the puzzle's numbers, equal to 24.</summary>
public static class Game24Verifier
{
    /// <param name="expression">E.g. "(10 - 4) * (13 - 9)"; a trailing "= 24" is allowed.</param>
    public static Game24Verification Verify(Game24Puzzle puzzle, string expression)
    {
        var equals = expression.IndexOf('=', StringComparison.Ordinal);
        var left = equals < 0 ? expression : expression[..equals];
        ParsedExpression parsed;
        try
        {
            parsed = ArithmeticExpressionParser.Parse(left);
        }
        catch (FormatException ex)
        {
            return new Game24Verification(false, ex.Message);
        }

        if (!parsed.Numbers.Order().SequenceEqual(puzzle.Numbers.Select(n => (long)n).Order()))
        {
            return new Game24Verification(false, $"The expression uses {string.Join(' ', parsed.Numbers)}; it must use each of {puzzle} exactly once.");
        }

        return parsed.Value == Game24Puzzle.Target
            ? new Game24Verification(true, $"{left.Trim()} = 24")
            : new Game24Verification(false, $"The expression equals {parsed.Value}, not 24.");
    }
}
